"""What every keras-gan callback shares."""

import keras


class GANCallback(keras.callbacks.Callback):
    """A callback that rebuilds itself from `get_config()` and checks that it
    is attached to a keras-gan model."""

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _gan(self):
        model = self.model
        if not hasattr(model, "generate") or not hasattr(model, "latent_dim"):
            raise TypeError(
                f"{type(self).__name__} works with keras_gan models (GAN, WGANGP, ...); "
                f"it was attached to {type(model).__name__}.")
        return model
