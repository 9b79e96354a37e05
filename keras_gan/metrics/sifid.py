"""Single-image FID (SiFID) of SinGAN."""

import keras
import numpy as np

from keras_gan.metrics.frechet import frechet_distance_from_activations


def sifid_extractor(weights="imagenet"):
    """InceptionV3 up to its first max-pooling layer (64 channels), the
    features SiFID compares; takes images in [-1, 1] of any size >= 75 px.

    Args:
        weights: `"imagenet"`, a local weights file, or None (random: tests).
    """
    from keras_gan.metrics.features import imagenet_inception

    network = imagenet_inception(weights, include_top=False, input_shape=(None, None, 3))
    pool = next(layer for layer in network.layers
                if isinstance(layer, keras.layers.MaxPooling2D))
    return keras.Model(network.input, pool.output, name="sifid_inception_v3")


def sifid(real, fakes, extractor=None):
    """Mean single-image Fréchet distance of `fakes` to the `real` image.

    Each image's feature map `(h, w, k)` is a set of `h * w` vectors; SiFID
    is the Fréchet distance between the real image's set and a fake's,
    averaged over the fakes. The official code uses the 64-channel output of
    InceptionV3's first max-pooling layer (`sifid_extractor`); any callable
    mapping images `(1, h, w, c)` to feature maps can be injected.

    Args:
        real: one image `(h, w, c)` (or `(1, h, w, c)`) in [-1, 1].
        fakes: images `(n, h', w', c)`.
        extractor: callable images -> feature maps; default `sifid_extractor()`.

    Reference:
        Shaham et al., "SinGAN", ICCV 2019, section 3.1.
    """
    real = np.asarray(real, np.float32)
    real = real[None] if real.ndim == 3 else real
    fakes = np.asarray(fakes, np.float32)
    if real.ndim != 4 or real.shape[0] != 1 or fakes.ndim != 4:
        raise ValueError(f"sifid takes one real image (h, w, c) and fakes (n, h, w, c). "
                         f"Received shapes {real.shape} and {fakes.shape}.")
    extractor = sifid_extractor() if extractor is None else extractor

    def features(image):
        maps = np.asarray(keras.ops.convert_to_numpy(extractor(image[None])), np.float64)
        return maps.reshape(-1, maps.shape[-1])

    reference = features(real[0])
    return float(np.mean([frechet_distance_from_activations(reference, features(fake))
                          for fake in fakes]))
