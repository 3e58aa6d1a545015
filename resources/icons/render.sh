#!/usr/bin/env bash
# Renders the hand-written SVG icon into the hicolor PNG sizes that are committed beside it
# (done once per change of the SVG, so builds need no SVG renderer). Needs rsvg-convert
# (Debian: librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 24 32 48 64 128 256; do
  mkdir -p "hicolor/${size}x${size}/apps"
  out="hicolor/${size}x${size}/apps/dcr-console.png"
  rsvg-convert -w "$size" -h "$size" dcr-console.svg -o "$out"
done
echo "rendered: $(ls hicolor/*/apps/*.png | tr '\n' ' ')"
