from .config import Settings, load_settings
from .logutil import digest, mask

__all__ = ["Settings", "load_settings", "mask", "digest"]
__version__ = "0.5.0"
