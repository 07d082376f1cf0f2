#ifndef FERLAB_LANDMARKS_H
#define FERLAB_LANDMARKS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A loaded dlib shape predictor (opaque).
typedef struct ferlab_landmark_model ferlab_landmark_model;

/// Loads the shape predictor in the file at `path`. On failure returns NULL and writes why into `error`
/// (at most `error_size` bytes, NUL-terminated).
ferlab_landmark_model *ferlab_landmark_model_load(const char *path, char *error, size_t error_size);

/// Frees a model from `ferlab_landmark_model_load`.
void ferlab_landmark_model_free(ferlab_landmark_model *model);

/// The number of points the model places (68 for the iBUG 300-W model).
int ferlab_landmark_model_points(const ferlab_landmark_model *model);

/// Places the model's points on each of `count` gray images of `width` x `height` stored one after another
/// in `pixels`. Each image is enlarged `upscale` times with dlib's bilinear resize. The face box is, with
/// `detect` 0, the enlarged image inset by `inset` (a fraction of its width and height) on every side; with
/// `detect` 1, the largest face dlib's frontal face detector finds in the enlarged image, or the inset box
/// when it finds none (then `found[image]` is 0, else 1). `points` receives, per image, x and y of each
/// point in the original image's pixel coordinates (dlib's integer positions in the enlarged image, mapped
/// back). The model is only read, so several threads may share it; each call makes its own detector.
/// Returns 0, or -1 when dlib failed (out of memory), with why in `error` (at most `error_size` bytes).
int ferlab_landmark_model_place(
    const ferlab_landmark_model *model, const uint8_t *pixels, int count, int width, int height, int upscale,
    double inset, int detect, float *points, uint8_t *found, char *error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif
