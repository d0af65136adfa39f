"""User-facing errors: the message is Chinese and printed as is by the CLI."""


class HaizhiError(Exception):
    """An error the user can act on; str(err) is a Chinese sentence."""


class ConfigError(HaizhiError):
    pass


class ConversionError(HaizhiError):
    pass


class UnreadableInput(HaizhiError):
    pass
