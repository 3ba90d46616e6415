#!/usr/bin/env bash
# Science evaluation, experiment 'jwst-1f' (docs/RESULTS.md): full run, or add --smoke for CI's reduced run.
exec "$(dirname "$0")/run" jwst-1f "$@"
