# Sourced by the deploy/ scripts: the site's directory, its virtualenv and its environment.
# The environment file (LATIH_ENV_FILE, default /etc/latih/latih.env) is read when it exists;
# without it the variables must already be set (a container, systemd's EnvironmentFile=).
# It is read as systemd reads it, not run as shell: a password with $ or ` in it stays as written.
LATIH_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LATIH_ENV_FILE=${LATIH_ENV_FILE:-/etc/latih/latih.env}
if [ -e "$LATIH_ENV_FILE" ]; then
  if [ ! -r "$LATIH_ENV_FILE" ]; then
    echo "latih: cannot read $LATIH_ENV_FILE (run as the site's user: sudo -u latih …)" >&2
    exit 1
  fi
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'* | ';'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    if [[ ! $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ || $line != *=* ]]; then
      echo "latih: $LATIH_ENV_FILE: not a KEY=value line: $line" >&2
      exit 1
    fi
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
      value=${BASH_REMATCH[1]}
    fi
    export "$key=$value"
  done < "$LATIH_ENV_FILE"
  unset line key value
fi
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-cms.settings.production}
VENV=$LATIH_HOME/.venv
cd "$LATIH_HOME"
