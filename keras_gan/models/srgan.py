"""SRGAN: photo-realistic single-image super-resolution."""

import warnings

import keras
import tensorflow as tf

from keras_gan.models.image_to_image import ImageToImageGAN


@keras.saving.register_keras_serializable(package="keras_gan")
class SRGAN(ImageToImageGAN):
    """Super-resolution GAN: `G(low resolution)` should match the high-resolution
    image in a feature space and look real to the discriminator.

    Generator loss: `content + 1e-3 * adversarial` (`loss_weights={"content":
    1, "adversarial": 1e-3}`), where the content loss is the MSE between
    features of `content_extractor` on the generated and the real image (the
    paper's VGG19 `block5_conv4` features rescaled by 1/12.75, see
    `keras_gan.networks.vgg19_features`), or the pixel MSE when there is no
    extractor. `loss_weights={"adversarial": 0}` trains SRResNet (the
    MSE-pretrained generator the paper starts from). PSNR and SSIM of each
    batch are logged as `psnr` and `ssim` (images in [-1, 1], all channels).

    Training pairs are `(low_resolution, high_resolution)`; make them with
    `keras_gan.data.degrade` (Gaussian blur, then downsampling by `r`).

    Args:
        generator: e.g. `keras_gan.networks.srresnet_generator(scale=4)`.
        discriminator: e.g. `keras_gan.networks.srgan_discriminator(96)`.
        content_extractor: a `keras.Model` from images in [-1, 1] to
            features; `"vgg19"` builds `vgg19_features()` (ImageNet weights,
            downloaded once) and falls back to the pixel MSE with a warning
            when the weights cannot be had; None: pixel MSE.
        seed: training randomness seed.

    Reference:
        Ledig et al., "Photo-Realistic Single Image Super-Resolution Using a
        Generative Adversarial Network", CVPR 2017. https://arxiv.org/abs/1609.04802
    """

    reports_quality = True

    def __init__(self, generator, discriminator, content_extractor=None, seed=None, **kwargs):
        if isinstance(content_extractor, str):
            content_extractor = _named_extractor(content_extractor)
        if content_extractor is not None and not isinstance(content_extractor, keras.layers.Layer):
            raise TypeError("`content_extractor` must be a keras.Model, 'vgg19' or None. "
                            f"Received: {content_extractor!r}")
        if content_extractor is not None:
            content_extractor.trainable = False
        self.content_extractor = content_extractor
        super().__init__(generator, discriminator, seed=seed, **kwargs)

    def generator_terms(self, *, inputs, targets, fake, labels):
        fake = tf.cast(fake, tf.float32)
        if self.content_extractor is None:
            return {"content": tf.reduce_mean(tf.square(fake - targets))}
        real_features = tf.stop_gradient(self.content_extractor(targets, training=False))
        fake_features = self.content_extractor(fake, training=False)
        return {"content": tf.reduce_mean(tf.square(tf.cast(fake_features, tf.float32)
                                                    - tf.cast(real_features, tf.float32)))}

    def default_compile_args(self):
        return {**super().default_compile_args(),
                "d_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.9),
                "g_optimizer": keras.optimizers.Adam(1e-4, beta_1=0.9),
                "loss_weights": {"adversarial": 1e-3, "content": 1.0}}

    def get_config(self):
        extractor = self.content_extractor
        return {**super().get_config(), "content_extractor":
                None if extractor is None else keras.saving.serialize_keras_object(extractor)}


def _named_extractor(name):
    if name != "vgg19":
        raise ValueError(f"content_extractor={name!r}: use 'vgg19', a keras.Model or None.")
    from keras_gan.data.images import _online
    from keras_gan.networks import vgg19_features

    try:
        if not _online() and not _cached_vgg19():
            raise ConnectionError("no network: storage.googleapis.com is unreachable")
        return vgg19_features()
    except Exception as error:  # offline: the ImageNet weights cannot be downloaded
        warnings.warn(
            f"VGG19 ImageNet weights are unavailable ({type(error).__name__}: "
            f"{str(error)[:200]}); SRGAN falls back to the pixel MSE content loss. Pass "
            "content_extractor=keras_gan.networks.vgg19_features(weights='path/to/vgg19.h5') "
            "to use local weights.", stacklevel=3)
        return None


def _cached_vgg19():
    """Whether Keras already holds the VGG19 no-top weights locally."""
    import os

    cache = os.path.join(os.environ.get("KERAS_HOME", os.path.expanduser("~/.keras")), "models")
    return os.path.exists(os.path.join(
        cache, "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5"))
