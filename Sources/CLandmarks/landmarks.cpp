#include "ferlab_landmarks.h"

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms/interpolation.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <vector>
#include <new>

// dlib's shape predictor, read as dlib's own deserialize reads it, so that its cascade can run over a batch of
// images at once: each tree's leaves (16 shape changes of the model's 65 MB) are read once per batch instead of
// once per image. Every image goes through the same steps in the same order as in dlib::shape_predictor, so
// the points are the same.
struct ferlab_landmark_model {
    dlib::matrix<float, 0, 1> initial_shape;
    std::vector<std::vector<dlib::impl::regression_tree>> forests;
    std::vector<std::vector<unsigned long>> anchor_idx;
    std::vector<std::vector<dlib::vector<float, 2>>> deltas;

    unsigned long num_parts() const { return initial_shape.size() / 2; }
};

static void read_model(ferlab_landmark_model &model, const char *path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw dlib::serialization_error("the file cannot be opened");
    int version = 0;
    dlib::deserialize(version, in);
    if (version != 1) throw dlib::serialization_error("Unexpected version found while deserializing dlib::shape_predictor.");
    dlib::deserialize(model.initial_shape, in);
    dlib::deserialize(model.forests, in);
    dlib::deserialize(model.anchor_idx, in);
    dlib::deserialize(model.deltas, in);
    if (model.anchor_idx.size() != model.forests.size() || model.deltas.size() != model.forests.size())
        throw dlib::serialization_error("the cascade's levels do not match its pixel sets");
    for (size_t level = 0; level < model.forests.size(); ++level) {
        const size_t features = model.deltas[level].size();
        if (model.anchor_idx[level].size() != features)
            throw dlib::serialization_error("a level's anchors do not match its pixel offsets");
        for (unsigned long anchor : model.anchor_idx[level])
            if (anchor >= model.num_parts()) throw dlib::serialization_error("an anchor names no point of the shape");
        for (const dlib::impl::regression_tree &tree : model.forests[level]) {
            if (tree.leaf_values.size() != tree.splits.size() + 1)
                throw dlib::serialization_error("a tree has not one more leaf than splits");
            for (const dlib::impl::split_feature &split : tree.splits)
                if (split.idx1 >= features || split.idx2 >= features)
                    throw dlib::serialization_error("a split reads a pixel its level does not sample");
            for (const dlib::matrix<float, 0, 1> &leaf : tree.leaf_values)
                if (leaf.size() != model.initial_shape.size())
                    throw dlib::serialization_error("a leaf's shape change has not the shape's size");
        }
    }
}

static void write_error(char *error, size_t error_size, const char *message) {
    if (error == nullptr || error_size == 0) return;
    std::strncpy(error, message, error_size - 1);
    error[error_size - 1] = '\0';
}

extern "C" ferlab_landmark_model *ferlab_landmark_model_load(const char *path, char *error, size_t error_size) {
    ferlab_landmark_model *model = new (std::nothrow) ferlab_landmark_model();
    if (model == nullptr) {
        write_error(error, error_size, "out of memory");
        return nullptr;
    }
      try {
            read_model(*model, path);
            if (model->num_parts() == 0) {
                delete model;
                write_error(error, error_size, "the file holds a shape predictor with no points");
                return nullptr;
            }
            return model;
        } catch (const std::exception &exception) {
            delete model;
            write_error(error, error_size, exception.what());
            return nullptr;
        } catch (...) {
            delete model;
            write_error(error, error_size, "unknown error while reading the model");
            return nullptr;
        }
    }

    extern "C" void ferlab_landmark_model_free(ferlab_landmark_model *model) { delete model; }

    extern "C" int ferlab_landmark_model_points(const ferlab_landmark_model *model) {
        return static_cast<int>(model->num_parts());
    }

    extern "C" int ferlab_landmark_model_place(
        const ferlab_landmark_model *model, const uint8_t *pixels, int count, int width, int height, int upscale,
        double inset, int detect, float *points, uint8_t *found, char *error, size_t error_size) {
      try {
        const long big_width = static_cast<long>(width) * upscale, big_height = static_cast<long>(height) * upscale;
        const unsigned long parts = model->num_parts();
        const long shape_size = model->initial_shape.size();
        const long left = std::lround(inset * big_width), top = std::lround(inset * big_height);
        const dlib::rectangle inset_box(left, top, big_width - 1 - left, big_height - 1 - top);
        dlib::frontal_face_detector detector;
        if (detect) detector = dlib::get_frontal_face_detector();
        // dlib's resize maps corner pixels onto corner pixels.
        const double x_scale = (width - 1) / static_cast<double>(std::max<long>(big_width - 1, 1));
        const double y_scale = (height - 1) / static_cast<double>(std::max<long>(big_height - 1, 1));
        // Images per batch: their enlarged copies within about 2 MB.
        const long batch = std::clamp<long>(2'000'000 / std::max<long>(big_width * big_height, 1), 1, 64);
        dlib::array2d<unsigned char> image(height, width);
        std::vector<dlib::array2d<unsigned char>> enlarged(batch);
        std::vector<dlib::rectangle> boxes(batch);
        std::vector<dlib::matrix<float, 0, 1>> shapes(batch);
        std::vector<std::vector<float>> features(batch);
        for (long first = 0; first < count; first += batch) {
            const long size = std::min<long>(batch, count - first);
            for (long member = 0; member < size; ++member) {
                const long index = first + member;
                const uint8_t *source = pixels + static_cast<size_t>(index) * width * height;
                for (int row = 0; row < height; ++row) {
                    std::memcpy(&image[row][0], source + static_cast<size_t>(row) * width, width);
                }
                enlarged[member].set_size(big_height, big_width);
                dlib::resize_image(image, enlarged[member], dlib::interpolate_bilinear());
                boxes[member] = inset_box;
                uint8_t face_found = 1;
                if (detect) {
                    const std::vector<dlib::rectangle> faces = detector(enlarged[member]);
                    face_found = faces.empty() ? 0 : 1;
                    for (size_t face = 0; face < faces.size(); ++face) {
                        if (face == 0 || faces[face].area() > boxes[member].area()) boxes[member] = faces[face];
                    }
                }
                found[index] = face_found;
                shapes[member] = model->initial_shape;
            }
            // dlib::shape_predictor's cascade, level by level and tree by tree over the batch.
            for (size_t level = 0; level < model->forests.size(); ++level) {
                for (long member = 0; member < size; ++member) {
                    dlib::impl::extract_feature_pixel_values(
                        enlarged[member], boxes[member], shapes[member], model->initial_shape,
                        model->anchor_idx[level], model->deltas[level], features[member]);
                }
                for (const dlib::impl::regression_tree &tree : model->forests[level]) {
                    for (long member = 0; member < size; ++member) {
                        unsigned long leaf;
                        const dlib::matrix<float, 0, 1> &change = tree(features[member], leaf);
                        float *shape = &shapes[member](0);
                        const float *step = &change(0);
                        for (long value = 0; value < shape_size; ++value) shape[value] += step[value];
                    }
                }
            }
            for (long member = 0; member < size; ++member) {
                const dlib::point_transform_affine to_image = dlib::impl::unnormalizing_tform(boxes[member]);
                float *out = points + static_cast<size_t>(first + member) * parts * 2;
                for (unsigned long part = 0; part < parts; ++part) {
                    const dlib::point point = to_image(dlib::impl::location(shapes[member], part));
                    out[2 * part] = static_cast<float>(point.x() * x_scale);
                    out[2 * part + 1] = static_cast<float>(point.y() * y_scale);
                }
            }
        }
        return 0;
      } catch (const std::exception &exception) {
        write_error(error, error_size, exception.what());
        return -1;
    } catch (...) {
        write_error(error, error_size, "unknown error while placing landmarks");
        return -1;
    }
}
