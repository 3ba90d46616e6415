#!/usr/bin/env bash
# Science evaluation, experiment 'calibration' (docs/RESULTS.md): full run, or add --smoke for CI's reduced run.
exec "$(dirname "$0")/run" calibration "$@"
