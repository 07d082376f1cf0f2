#!/usr/bin/env bash
# Places dlib's 68 points with dlib's own shape_predictor (Debian's
# libdlib-dev and libdlib-data) on 120 synthetic faces (ferlab synth -c 120
# --seed 7), once; written to Tests/FERLandmarksTests/Fixtures/landmarks.json,
# which FERLab's landmark step must match exactly.
#   Scripts/reference/make_landmark_fixtures.sh   (after swift build)
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.build/debug/ferlab synth --count 120 --seed 7 --output "$work/faces.csv" >/dev/null
g++ -O2 -std=c++17 -o "$work/reference" Scripts/reference/landmarks_reference.cpp $(pkg-config --libs dlib-1)
"$work/reference" /usr/share/dlib/shape_predictor_68_face_landmarks.dat "$work/faces.csv" 4 0.08 \
    > Tests/FERLandmarksTests/Fixtures/landmarks.json
