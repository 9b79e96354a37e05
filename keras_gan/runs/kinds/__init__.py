"""The registry of kinds of run: each kind says how to build its data, its
model, the callbacks that show its progress and its summary.

`kind_of(config)` is the first kind in `KINDS` whose `matches(config)` is
true; `Images` (the GAN family on an image dataset) matches everything and
stays last. A new kind of run is one new file and one line here, e.g.:

```python
# keras_gan/runs/kinds/point_clouds.py
from keras_gan.runs.kinds.autoencoders import AutoEncoders
from keras_gan.runs.kinds.base import Kind
from keras_gan.runs.kinds.coupled import Coupled
from keras_gan.runs.kinds.domains import DomainAdaptation

class PointClouds(Kind):
    name = "point_clouds"

    def matches(self, config):
        return config["model"] == "PointCloudGAN"

    def build_examples(self, config):     # (dataset, count, sample_shape)
        ...

    def build_model(self, config, sample_shape, total_steps=None):
        ...                                # compiled; under the strategy's scope

    def callbacks(self, config, model, examples, sample_shape, samples_dir):
        return [...]                       # writes samples_dir/epoch_NNNN.png

# and here:
from keras_gan.runs.kinds.point_clouds import PointClouds
KINDS = (SingleImage(), ImageToImage(), Mixtures(), PointClouds(), Images())
```

`Kind` (in `base.py`) supplies the default `schedule` (whole passes, or
`steps` spread over the fewest epochs), no extra callbacks and an empty
summary; `network`, `optimizer` and `penalties` there build what recipes
describe.
"""

from keras_gan.runs.kinds.autoencoders import AutoEncoders
from keras_gan.runs.kinds.base import Kind
from keras_gan.runs.kinds.coupled import Coupled
from keras_gan.runs.kinds.domains import DomainAdaptation
from keras_gan.runs.kinds.image_to_image import ImageToImage
from keras_gan.runs.kinds.images import Images
from keras_gan.runs.kinds.mixtures import Mixtures
from keras_gan.runs.kinds.single_image import SingleImage

KINDS = (SingleImage(), ImageToImage(), Mixtures(), AutoEncoders(), DomainAdaptation(),
         Coupled(), Images())


def kind_of(config):
    """The kind of run that trains `config`."""
    return next(kind for kind in KINDS if kind.matches(config))


__all__ = ["KINDS", "Kind", "kind_of"]
