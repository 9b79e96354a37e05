"""pix2pix: paired image-to-image translation with a conditional PatchGAN."""

import keras
import tensorflow as tf

from keras_gan.models.image_to_image import ImageToImageGAN


@keras.saving.register_keras_serializable(package="keras_gan")
class Pix2Pix(ImageToImageGAN):
    """Paired translation: `G(x)` should look like the target `y` to a
    discriminator that sees both `x` and the image.

    Generator loss: `adversarial + 100 * |G(x) - y|_1` (non-saturating cGAN
    loss, `loss_weights={"adversarial": 1, "l1": 100}`); Adam(2e-4,
    beta_1=0.5) for both networks. The generator's noise is the dropout of
    `unet_generator`, which Keras applies in training calls only (the paper
    also keeps it at test time; call `translate_batch(x, training=True)` for
    that). The paper halves the discriminator's objective; with Adam a constant
    factor on a loss changes nothing but epsilon's relative size, so the loss
    here is not halved.

    With a discriminator built by `keras_gan.networks.multiscale_discriminator`
    (pix2pixHD), the adversarial loss is summed over scales and
    `loss_weights={"feature_matching": 10}` adds pix2pixHD's discriminator
    feature-matching loss.

    A discriminator with two inputs is called on `[inputs, images]`
    (conditional, as in the paper); one with a single input on the images.

    Args:
        generator: e.g. `keras_gan.networks.unet_generator(256)`.
        discriminator: e.g. `keras_gan.networks.patchgan_discriminator(256)`.
        seed: training randomness seed.

    Example:

    ```python
    data = keras_gan.data.load_pairs("facades/train", batch_size=1, image_size=256)
    model = keras_gan.Pix2Pix(networks.unet_generator(256), networks.patchgan_discriminator(256))
    model.compile()
    model.fit(data, epochs=200)
    photos = model.translate(label_maps)
    ```

    Reference:
        Isola et al., "Image-to-Image Translation with Conditional Adversarial
        Networks", CVPR 2017. https://arxiv.org/abs/1611.07004
        Wang et al., "High-Resolution Image Synthesis and Semantic Manipulation
        with Conditional GANs" (pix2pixHD), CVPR 2018.
    """

    def discriminator_inputs(self, images, labels=None, inputs=None):
        return [inputs, images] if self._conditional_critic() else images

    def generator_terms(self, *, inputs, targets, fake, labels):
        return {"l1": tf.reduce_mean(tf.abs(tf.cast(fake, tf.float32) - targets))}

    def default_compile_args(self):
        return {**super().default_compile_args(),
                "loss_weights": {"adversarial": 1.0, "l1": 100.0, "feature_matching": 0.0}}

    def log_names(self):
        names = super().log_names()
        return names if self._uses_feature_matching() else [
            n for n in names if n != "feature_matching"]
