"""DANN on digits -> MNIST-M-style digits: Ganin et al., "Domain-Adversarial
Training of Neural Networks", JMLR 2016 (arXiv:1505.07818).

Source: grey bundled digits (labelled); target: other digits blended onto
colour backgrounds, made offline (`keras_gan.data.load_domain_shift`).
The paper's MNIST networks, SGD(0.01, momentum 0.9) annealed as
`0.01 / (1 + 10 p)^0.75`, the reversal scale `2 / (1 + exp(-10 p)) - 1`,
batch 64 source + 64 target. `--set model_args.domain_weight=0` trains the
source-only baseline; `summary.json` holds the held-out target accuracy.
"""

CONFIG = {
    "paper": "Ganin et al. 2016, arXiv:1505.07818",
    "model": "DANN",
    "dataset": "mnist_to_mnist_m",
    "num_classes": 10,
    "num_samples": 4000,
    "encoder": {"builder": "dann_networks"},
    "g_learning_rate": 0.01,
    "batch_size": 64,
    "steps": 1500,
    "expected": "see benchmarks/results_domain_adaptation_cpu2.json",
}

if __name__ == "__main__":
    from keras_gan.cli import recipe_main

    recipe_main("dann_mnist_m")
