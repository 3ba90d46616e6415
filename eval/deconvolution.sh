#!/usr/bin/env bash
# Science evaluation, experiment 'deconvolution' (docs/RESULTS.md): full run, or add --smoke for CI's reduced run.
exec "$(dirname "$0")/run" deconvolution "$@"
