"""Argument checks shared by layers and builders, with messages that echo the value."""


def check_positive_int(**values):
    """Raises `ValueError` naming the argument unless every value is an integer >= 1."""
    for key, value in values.items():
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"`{key}` must be a positive integer. Received: {key}={value!r}")
