#!/usr/bin/env bash
# Science evaluation, experiment 'galaxy-generation' (docs/RESULTS.md): full run, or add --smoke for CI's reduced run.
exec "$(dirname "$0")/run" galaxy-generation "$@"
