"""The `keras-gan` command: list, train, sample and evaluate recipes.

    keras-gan list
    keras-gan train dcgan_mnist --dataset mnist_10k --epochs 5 --out runs/dcgan
    keras-gan sample runs/dcgan --n 64 --out grid.png
    keras-gan sample runs/pix2pix --input photos/ --out translated/
    keras-gan evaluate runs/dcgan --metrics fid,kid --n 10000
    keras-gan sample runs/stylegan2 --psi 0.7 --out grid.png
    keras-gan interpolate runs/stylegan2 --space w --seeds 1,2,3 --out lerp.png
    keras-gan style-mix runs/stylegan2 --rows 1,2,3 --columns 4,5,6 --layers 0-3 --out mix.png
    keras-gan project runs/dcgan --input photos/ --out projected/
    keras-gan arithmetic runs/dcgan --positive 1,2,3 --negative 4,5,6 --base 7,8,9
"""

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _train_arguments(parser):
    parser.add_argument("--dataset", help="tensorflow-datasets name, folder, .npz or mnist_10k")
    parser.add_argument("--epochs", type=int, help="passes over the data")
    parser.add_argument("--steps", type=int, help="total training steps instead of --epochs")
    parser.add_argument("--batch-size", type=int, help="global batch size")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a configuration key (repeatable; JSON values)")
    parser.add_argument("--out", help="run directory (default runs/RECIPE)")
    parser.add_argument("--resume", action="store_true", help="continue the run in --out")
    parser.add_argument("--strategy", default="auto",
                        choices=["auto", "none", "mirrored", "multi_worker"])
    parser.add_argument("--precision", default="float32",
                        choices=["float32", "mixed_float16", "mixed_bfloat16"])
    parser.add_argument("--jit", action=argparse.BooleanOptionalAction, default=None,
                        help="compile the train step with XLA (default: where it helps, "
                             "see README 'Mixed precision and XLA')")
    parser.add_argument("--init", metavar="RUN_OR_MODEL",
                        help="fine-tune: start from another run's (or .keras model's) weights; "
                        "with --set freeze_d=N the first N discriminator blocks stay frozen")
    parser.add_argument("--verbose", type=int, default=1, choices=[0, 1, 2])


def build_parser():
    parser = argparse.ArgumentParser(
        prog="keras-gan", description="Train, sample and evaluate GANs from published recipes.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the recipes")
    train = commands.add_parser("train", help="train a recipe into a run directory")
    train.add_argument("recipe")
    _train_arguments(train)
    sample = commands.add_parser("sample", help="write a grid of samples")
    sample.add_argument("run", help="run directory or .keras model")
    sample.add_argument("--n", type=int, default=64, help="number of samples")
    sample.add_argument("--out", default="grid.png", help="PNG file to write")
    sample.add_argument("--truncation", type=float,
                        help="resample latent entries with |z| above this threshold")
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--refine-steps", type=int, default=0,
                        help="discriminator-guided latent steps before decoding "
                        "(GAN.refine_latents; e.g. 20)")
    sample.add_argument("--no-ema", action="store_true", help="use the raw generator")
    sample.add_argument("--input", help="image-to-image models: folder of images to translate "
                        "(--out is then a folder)")
    sample.add_argument("--direction", default="a_to_b", choices=["a_to_b", "b_to_a"],
                        help="CycleGAN: translate A->B or B->A")
    sample.add_argument("--labels", help="StarGAN: target labels as a JSON list, e.g. [1,0,0,1,0]")
    sample.add_argument("--psi", type=float, default=1.0,
                        help="StyleGAN/StyleGAN2: truncation in W (e.g. 0.7)")
    interpolate = commands.add_parser("interpolate",
                                      help="write rows of images between latent seeds")
    interpolate.add_argument("run", help="run directory or .keras model")
    interpolate.add_argument("--seeds", default="0,1,2", help="comma list of latent seeds")
    interpolate.add_argument("--steps", type=int, default=8, help="images per row")
    interpolate.add_argument("--space", default="z", choices=["z", "w"],
                             help="z: spherical in Z; w: linear in W (style-based models)")
    interpolate.add_argument("--psi", type=float, default=1.0, help="truncation in W")
    interpolate.add_argument("--out", default="interpolation.png", help="PNG file to write")
    interpolate.add_argument("--no-ema", action="store_true", help="use the raw generator")
    mix = commands.add_parser("style-mix", help="StyleGAN: a style-mixing grid between seeds")
    mix.add_argument("run", help="run directory or .keras model")
    mix.add_argument("--rows", default="0,1,2", help="seeds whose styles are kept")
    mix.add_argument("--columns", default="3,4,5", help="seeds whose styles are copied in")
    mix.add_argument("--layers", default="0-3",
                     help="style layers copied from the columns: 'A-B' or a comma list")
    mix.add_argument("--psi", type=float, default=1.0, help="truncation in W")
    mix.add_argument("--out", default="style_mix.png", help="PNG file to write")
    mix.add_argument("--no-ema", action="store_true", help="use the raw generator")
    evaluate = commands.add_parser("evaluate", help="compute FID/KID/IS/PR against real data")
    evaluate.add_argument("run", help="run directory or .keras model")
    evaluate.add_argument("--metrics", default="fid",
                          help="comma list: fid,kid,is,pr,dc,ppl_z,ppl_w,swd,msssim,nn,nn_features,"
                          "cas,intra_fid (or modes)")
    evaluate.add_argument("--n", type=int, default=10000, help="generated (and real) samples")
    evaluate.add_argument("--dataset", help="reference data (default: the run's dataset)")
    evaluate.add_argument("--split", help="reference split (default: the run's split)")
    evaluate.add_argument("--extractor", default="inception",
                          help="'inception' (ImageNet InceptionV3 from Keras: keys *_keras), "
                          "'inception_2015' (the FID protocol's 2015 graph, comparable with "
                          "papers: keys *_tf2015) or a .keras feature model")
    evaluate.add_argument("--weights", help="local weights: the InceptionV3 .h5, or the 2015 "
                          "graph's inception-2015-12-05.tgz / classify_image_graph_def.pb")
    evaluate.add_argument("--batch-size", type=int, default=64)
    evaluate.add_argument("--no-ema", action="store_true", help="use the raw generator")
    project = commands.add_parser("project", help="GAN inversion: find the latents of a "
                                  "folder of images and write their reconstructions")
    project.add_argument("run", help="run directory or .keras model")
    project.add_argument("--input", required=True, help="folder of images")
    project.add_argument("--out", default="projected", help="folder for reconstructions, "
                         "latents.npz and errors.json")
    project.add_argument("--steps", type=int, default=300, help="optimization steps")
    project.add_argument("--space", default="z", choices=["z", "w"],
                         help="z, or w for style-based models")
    project.add_argument("--loss", default="pixel", choices=["pixel", "features"],
                         help="pixel MSE, or MSE of the discriminator's 'features' layer")
    project.add_argument("--seed", type=int, default=0)
    project.add_argument("--no-ema", action="store_true", help="use the raw generator")
    project.add_argument("--keep-noise", action="store_true", help="in W, keep the generator's "
                         "own noise maps (default: optimize them, as StyleGAN2's projector)")
    project.add_argument("--noise-weight", type=float, default=1e5,
                         help="weight of the noise maps' regularization in W (default 1e5)")
    arithmetic = commands.add_parser("arithmetic", help="latent vector arithmetic: "
                                     "mean(positive) - mean(negative) + mean(base)")
    arithmetic.add_argument("run", help="run directory or .keras model")
    arithmetic.add_argument("--positive", required=True, help="comma list of latent seeds, or "
                            "a latents.npz written by `project` (key latents)")
    arithmetic.add_argument("--negative", required=True, help="as --positive")
    arithmetic.add_argument("--base", required=True, help="as --positive")
    arithmetic.add_argument("--perturbations", type=int, default=8)
    arithmetic.add_argument("--scale", type=float, default=0.25,
                            help="standard deviation of the perturbations")
    arithmetic.add_argument("--out", default="arithmetic.png", help="PNG file to write")
    arithmetic.add_argument("--no-ema", action="store_true", help="use the raw generator")
    export = commands.add_parser("export", help="export the generator for serving "
                                 "(SavedModel or TF-Lite)")
    export.add_argument("run", help="run directory or .keras model")
    export.add_argument("--format", default="saved_model", choices=["saved_model", "tflite"])
    export.add_argument("--out", help="SavedModel directory or .tflite file (default: RUN/"
                        "export/generator or RUN/export/generator.tflite; for a .keras "
                        "model, next to it)")
    export.add_argument("--direction", default="a_to_b", choices=["a_to_b", "b_to_a"],
                        help="CycleGAN: export the A->B or the B->A generator")
    export.add_argument("--no-ema", action="store_true", help="export the raw generator")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    from keras_gan.data import DatasetUnavailableError
    from keras_gan.runs import RunError

    from keras_gan.models import NonFiniteLossError

    try:
        return _COMMANDS[args.command](args)
    except NonFiniteLossError as error:
        print(f"keras-gan {args.command}: error: {error}\n{_resume_hint(args)}", file=sys.stderr)
        return 3
    except (RunError, DatasetUnavailableError, FileNotFoundError, RuntimeError) as error:
        print(f"keras-gan {args.command}: error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:  # bad values in data or recipes: the message says what
        print(f"keras-gan {args.command}: error: {error}", file=sys.stderr)
        return 2


def _resume_hint(args):
    out = getattr(args, "out", None) or os.path.join("runs", getattr(args, "recipe", "RECIPE"))
    return (f"The checkpoint of the last finished epoch is kept in {out}. Resume with lower "
            f"learning rates, e.g.: keras-gan train {getattr(args, 'recipe', 'RECIPE')} --out "
            f"{out} --resume --set d_learning_rate=1e-4 --set g_learning_rate=1e-4")


def _list(args):
    import recipes

    rows = []
    for name in recipes.names():
        config = recipes.get(name)
        rows.append((name, config.get("dataset", ""), config.get("paper", "")))
    width = max(len(r[0]) for r in rows)
    for name, dataset, paper in rows:
        print(f"{name:<{width}}  {dataset:<10}  {paper}")
    return 0


def _train(args, recipe=None):
    from keras_gan import runs

    recipe = recipe or args.recipe
    options = {"dataset": args.dataset, "epochs": args.epochs, "steps": args.steps,
               "batch_size": args.batch_size}
    for key in ("epochs", "steps", "batch_size"):
        if options[key] is not None and options[key] < 1:
            raise runs.RunError(f"--{key.replace('_', '-')} must be >= 1; received {options[key]}.")
    config = runs.resolve_config(recipe, args.set, **options)
    config["jit"] = "auto" if args.jit is None else args.jit
    if args.init:
        if not os.path.exists(args.init):
            raise runs.RunError(f"--init {args.init}: no such run directory or .keras file.")
        config["init"] = os.path.abspath(args.init)
    out = args.out or os.path.join("runs", recipe)
    summary = runs.train(config, out, resume=args.resume, strategy=args.strategy,
                         precision=args.precision, verbose=args.verbose)
    if summary is None:  # a non-chief worker
        return 0
    print(f"\n{recipe}: {summary['steps']} steps in {summary['seconds']:.0f} s "
          f"({summary['steps_per_second']} steps/s); final epoch:")
    _print_table(summary["final"])
    print(f"Run directory: {out} (samples/, metrics.csv, losses.png, summary.json)")
    return 0


def _print_table(values):
    width = max(len(k) for k in values)
    for key, value in values.items():
        text = f"{value:.6g}" if isinstance(value, float) else str(value)
        print(f"  {key:<{width}}  {text}")


def _sample(args):
    from keras_gan import runs
    from keras_gan.visualization import plot_points, save_image_grid

    if args.n < 1:
        raise runs.RunError(f"--n must be >= 1; received {args.n}.")
    gan, config = runs.load_run(args.run)
    if hasattr(gan, "translate"):
        return _translate_folder(args, gan)
    if args.input:
        raise runs.RunError(f"{type(gan).__name__} generates from noise and takes no --input.")
    labels = None
    if getattr(gan, "sampling_classes", None):
        import numpy as np

        labels = np.arange(args.n) % gan.num_classes
    options = {}
    if args.psi != 1.0:
        if not hasattr(gan, "styles"):
            raise runs.RunError(f"--psi is the truncation in W of StyleGAN models; "
                                f"{type(gan).__name__} has none (use --truncation).")
        options["psi"] = args.psi
    if args.refine_steps:
        options["refine_steps"] = args.refine_steps
    images = gan.generate(args.n, labels=labels, seed=args.seed, truncation=args.truncation,
                          use_ema=not args.no_ema, verbose=1, **options)
    if images.ndim == 2:
        from keras_gan.data import load_mixture

        _, centers, _ = load_mixture(config["dataset"] if config else "ring", 1)
        plot_points(images, centers, args.out)
    else:
        save_image_grid(images, args.out)
    print(f"Wrote {args.n} samples to {args.out}")
    return 0


def _seeds(text, option):
    from keras_gan.runs import RunError

    try:
        return [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise RunError(f"{option} takes a comma list of integers; received {text!r}.") from None


def _layers(text):
    from keras_gan.runs import RunError

    try:
        if "-" in text:
            first, last = (int(x) for x in text.split("-", 1))
            return list(range(first, last + 1))
        return [int(x) for x in text.split(",")]
    except ValueError:
        raise RunError(f"--layers takes 'A-B' or a comma list; received {text!r}.") from None


def _interpolate(args):
    from keras_gan import exploration, runs
    from keras_gan.visualization import save_image_grid

    gan, _ = runs.load_run(args.run)
    rows = exploration.interpolate(gan, _seeds(args.seeds, "--seeds"), args.steps, args.space,
                                   psi=args.psi, use_ema=not args.no_ema)
    save_image_grid(rows.reshape(-1, *rows.shape[2:]), args.out, columns=rows.shape[1])
    print(f"Wrote {rows.shape[0]} rows of {rows.shape[1]} images ({args.space}) to {args.out}")
    return 0


def _style_mix(args):
    from keras_gan import exploration, runs
    from keras_gan.visualization import save_image_grid

    gan, _ = runs.load_run(args.run)
    grid = exploration.style_mixing_grid(
        gan, _seeds(args.rows, "--rows"), _seeds(args.columns, "--columns"),
        _layers(args.layers), psi=args.psi, use_ema=not args.no_ema)
    save_image_grid(grid.reshape(-1, *grid.shape[2:]), args.out, columns=grid.shape[1])
    print(f"Wrote a {grid.shape[0]}x{grid.shape[1]} style-mixing grid to {args.out}")
    return 0


def _translate_folder(args, model):
    """Translates every image under `args.input` into `args.out` (same
    relative names, as PNG)."""
    import numpy as np

    from keras_gan import data
    from keras_gan.runs import RunError
    from keras_gan.visualization import to_uint8, write_png

    if not args.input:
        raise RunError(f"{type(model).__name__} translates images: pass --input FOLDER (and "
                       "--out FOLDER for the results).")
    if not os.path.isdir(args.input):
        raise RunError(f"--input {args.input} is not a folder of images.")
    out = "translated" if args.out == "grid.png" else args.out
    shape = model._input_shape(model.inverse_generator if args.direction == "b_to_a" else None)
    size = tuple(shape[:2]) if shape[0] is not None else None
    options = {}
    if type(model).__name__ == "CycleGAN":
        options["direction"] = args.direction
    if type(model).__name__ == "StarGAN":
        if not args.labels:
            raise RunError(f"StarGAN needs --labels: the target labels, a JSON list of "
                           f"{model.label_dim} numbers.")
        options["labels"] = np.asarray(json.loads(args.labels), np.float32)
    paths = data.image_files(args.input)
    for path in paths:
        image = data.load_image(path, channels=shape[-1], size=size)
        result = model.translate(image[None], **options)[0]
        name = os.path.splitext(os.path.relpath(path, args.input))[0] + ".png"
        os.makedirs(os.path.dirname(os.path.join(out, name)), exist_ok=True)
        write_png(os.path.join(out, name), to_uint8(result[None])[0])
    print(f"Translated {len(paths)} images from {args.input} into {out}")
    return 0


def _evaluate(args):
    from keras_gan import runs

    result = runs.evaluate_run(args.run, args.metrics, args.n, dataset=args.dataset,
                               split=args.split, extractor=args.extractor, weights=args.weights,
                               batch_size=args.batch_size, use_ema=not args.no_ema)
    _print_table(result)
    return 0


def _export(args):
    from keras_gan import runs

    gan, _ = runs.load_run(args.run)
    out = args.out
    if out is None:
        stem = (os.path.join(args.run, "export", "generator") if os.path.isdir(args.run)
                else os.path.splitext(args.run)[0] + "_generator")
        out = stem + (".tflite" if args.format == "tflite" else "")
    options = {}
    if args.direction == "b_to_a":
        if not hasattr(gan, "inverse_generator"):
            raise runs.RunError(f"--direction b_to_a is CycleGAN's; {type(gan).__name__} has "
                                "one generator.")
        options["generator"] = gan.inverse_generator
    gan.export_generator(out, format=args.format, use_ema=not args.no_ema, **options)
    print(f"Wrote the {args.format} generator to {out}")
    return 0


def _project(args):
    import numpy as np

    from keras_gan import data, exploration, runs
    from keras_gan.visualization import save_image_grid, to_uint8, write_png

    gan, _ = runs.load_run(args.run)
    if not hasattr(gan, "generate") or getattr(gan, "sampling_classes", None):
        raise runs.RunError(f"project needs an unconditional noise-to-image model; "
                            f"{type(gan).__name__} is not one.")
    if not os.path.isdir(args.input):
        raise runs.RunError(f"--input {args.input} is not a folder of images.")
    shape = gan.generate(1, seed=0).shape[1:]
    paths = data.image_files(args.input)
    images = np.stack([data.load_image(p, channels=shape[-1], size=tuple(shape[:2]))
                       for p in paths])
    result = exploration.project(
        gan, images, steps=args.steps, space=args.space, loss=args.loss, seed=args.seed,
        use_ema=not args.no_ema, optimize_noise=False if args.keep_noise else None,
        noise_weight=args.noise_weight)
    os.makedirs(args.out, exist_ok=True)
    names = [os.path.splitext(os.path.relpath(p, args.input))[0] for p in paths]
    for name, image in zip(names, result["images"]):
        os.makedirs(os.path.dirname(os.path.join(args.out, name + ".png")), exist_ok=True)
        write_png(os.path.join(args.out, name + ".png"), to_uint8(image[None])[0])
    noise = {f"noise/{name}": maps for name, maps in result.get("noise", {}).items()}
    np.savez(os.path.join(args.out, "latents.npz"), latents=result["latents"],
             names=np.array(names), space=args.space, **noise)
    errors = {name: float(e) for name, e in zip(names, result["errors"])}
    with open(os.path.join(args.out, "errors.json"), "w") as handle:
        json.dump({"mean_squared_error": errors,
                   "mean": float(np.mean(result["errors"]))}, handle, indent=2)
    pairs = np.stack([images, result["images"]], axis=1).reshape(-1, *shape)
    save_image_grid(pairs, os.path.join(args.out, "comparison.png"), columns=2)
    print(f"Projected {len(paths)} images ({args.space}, {args.steps} steps): mean squared "
          f"error {np.mean(result['errors']):.5f}; wrote {args.out}/ (reconstructions, "
          "latents.npz, errors.json, comparison.png)")
    return 0


def _arithmetic_group(text, option):
    import numpy as np

    if text.endswith(".npz"):
        if not os.path.exists(text):
            raise FileNotFoundError(f"{option} {text} does not exist.")
        with np.load(text) as archive:
            if str(archive["space"]) != "z":
                from keras_gan.runs import RunError

                raise RunError(f"{option} {text} holds W latents; arithmetic works in Z.")
            return archive["latents"]
    return _seeds(text, option)


def _arithmetic(args):
    from keras_gan import exploration, runs
    from keras_gan.visualization import save_image_grid

    gan, _ = runs.load_run(args.run)
    grid = exploration.latent_arithmetic(
        gan, _arithmetic_group(args.positive, "--positive"),
        _arithmetic_group(args.negative, "--negative"), _arithmetic_group(args.base, "--base"),
        perturbations=args.perturbations, scale=args.scale, use_ema=not args.no_ema)
    save_image_grid(grid.reshape(-1, *grid.shape[2:]), args.out, columns=grid.shape[1])
    print(f"Wrote the latent arithmetic grid (positive, negative, base, result) to {args.out}")
    return 0


def main_exit():
    """Console-script entry point."""
    sys.exit(main())


_COMMANDS = {"list": _list, "train": _train, "sample": _sample, "evaluate": _evaluate,
             "interpolate": _interpolate, "style-mix": _style_mix, "export": _export,
             "project": _project, "arithmetic": _arithmetic}


def recipe_main(recipe, argv=None):
    """`python -m recipes.NAME [train options]`: trains one recipe."""
    parser = argparse.ArgumentParser(prog=f"python -m recipes.{recipe}",
                                     description=f"Train the {recipe} recipe.")
    _train_arguments(parser)
    args = parser.parse_args(argv)
    from keras_gan.models import NonFiniteLossError
    from keras_gan.runs import RunError

    args.recipe = recipe
    try:
        return _train(args, recipe)
    except NonFiniteLossError as error:
        print(f"{recipe}: error: {error}\n{_resume_hint(args)}", file=sys.stderr)
        sys.exit(3)
    except (RunError, ValueError, FileNotFoundError, RuntimeError) as error:
        print(f"{recipe}: error: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    sys.exit(main())
