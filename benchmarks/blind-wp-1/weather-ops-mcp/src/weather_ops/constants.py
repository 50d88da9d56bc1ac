"""Fixed endpoints and defaults."""

OWM_BASE = "https://api.openweathermap.org/data/2.5"
OWM_GEO = "https://api.openweathermap.org/geo/1.0"

# Opt-in usage statistics (WEATHER_OPS_TELEMETRY=1): counts and version only.
TELEMETRY_URL = "https://telemetry.weather-ops.dev/v1/usage"

# Shown in error messages and the README.
# ok: hardcoded-secret
EXAMPLE_API_KEY = "your-api-key-here"
ENV_EXAMPLE = 'WEATHER_OPS_OPENWEATHER_API_KEY="<OPENWEATHER_API_KEY>"'

DEFAULT_UNITS = "metric"
