#!/usr/bin/env bash
# Installs the 1EdTech Open Badges 2.0 validator (PyPI `openbadges` 1.1.2) into its own venv, .venv-ob,
# for tests/test_ob_validator.py. Usage: scripts/setup-ob-validator.sh   (PYTHON=python3.11 to choose)
#
# openbadges 1.1.2 (2018) pins releases that no longer import on Python 3.10+, so it is installed
# without its own pins (--no-deps) and with this tested set instead. Three differ from its pins:
#   pycryptodome 3.6.6 -> 3.20.0   3.6.6 builds from a Python 2 source (0xffffffffL) once setuptools has no 2to3
#   python-jose  3.0.1 -> 3.3.0    3.0.1 imports collections.Mapping, gone in Python 3.10
#   pytz      2017.2 -> 2024.1     same
# The rest are its own pins (jsonschema 2.6.0, PyLD 0.7.1, requests-cache 0.4.13, ...) and what they need.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1

"${PYTHON:-python3}" -m venv --clear .venv-ob
.venv-ob/bin/pip install --quiet --no-deps \
  openbadges==1.1.2 \
  openbadges-bakery==1.2.4 \
  aniso8601==10.0.1 \
  click==6.7 \
  future==0.16.0 \
  jsonschema==2.6.0 \
  language-tags==0.4.3 \
  pycryptodome==3.20.0 \
  pydux==0.2.2 \
  PyLD==0.7.1 \
  python-jose==3.3.0 \
  ecdsa==0.19.2 \
  rsa==4.9.1 \
  pyasn1==0.6.5 \
  python-mimeparse==1.6.0 \
  pytz==2024.1 \
  requests==2.34.2 \
  charset-normalizer==3.5.2 \
  idna==3.20 \
  urllib3==2.8.0 \
  certifi==2026.10.18 \
  requests-cache==0.4.13 \
  rfc3986==0.4.1 \
  validators==0.11.2 \
  decorator==5.3.1 \
  six==1.17.0 \
  pypng==0.20220715.0 \
  defusedxml==0.7.1

# Fails here, not in the tests, when a pin stops working.
.venv-ob/bin/python -c "import openbadges.verifier, openbadges_bakery; print('openbadges', openbadges.verifier.__name__, 'imports')"
echo "the Open Badges 2.0 validator is in .venv-ob; tests/test_ob_validator.py uses it"
