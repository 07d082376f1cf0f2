#include "ferlab_landmarks.h"

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms/interpolation.h>

#include <cmath>
#include <cstring>
#include <exception>
#include <new>

struct ferlab_landmark_model {
    dlib::shape_predictor predictor;
};

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
            dlib::deserialize(path) >> model->predictor;
            if (model->predictor.num_parts() == 0) {
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
        return static_cast<int>(model->predictor.num_parts());
    }

    extern "C" int ferlab_landmark_model_place(
        const ferlab_landmark_model *model, const uint8_t *pixels, int count, int width, int height, int upscale,
        double inset, int detect, float *points, uint8_t *found, char *error, size_t error_size) {
      try {
        const long big_width = static_cast<long>(width) * upscale, big_height = static_cast<long>(height) * upscale;
        const unsigned long parts = model->predictor.num_parts();
        dlib::array2d<unsigned char> image(height, width), enlarged(big_height, big_width);
        const long left = std::lround(inset * big_width), top = std::lround(inset * big_height);
        const dlib::rectangle inset_box(left, top, big_width - 1 - left, big_height - 1 - top);
        dlib::frontal_face_detector detector;
        if (detect) detector = dlib::get_frontal_face_detector();
        // dlib's resize maps corner pixels onto corner pixels.
        const double x_scale = (width - 1) / static_cast<double>(std::max<long>(big_width - 1, 1));
        const double y_scale = (height - 1) / static_cast<double>(std::max<long>(big_height - 1, 1));
        for (int index = 0; index < count; ++index) {
            const uint8_t *source = pixels + static_cast<size_t>(index) * width * height;
            for (int row = 0; row < height; ++row) {
                std::memcpy(&image[row][0], source + static_cast<size_t>(row) * width, width);
            }
            dlib::resize_image(image, enlarged, dlib::interpolate_bilinear());
            dlib::rectangle box = inset_box;
            uint8_t face_found = 1;
            if (detect) {
                const std::vector<dlib::rectangle> faces = detector(enlarged);
                face_found = faces.empty() ? 0 : 1;
                for (size_t face = 0; face < faces.size(); ++face) {
                    if (face == 0 || faces[face].area() > box.area()) box = faces[face];
                }
            }
            found[index] = face_found;
            const dlib::full_object_detection shape = model->predictor(enlarged, box);
            float *out = points + static_cast<size_t>(index) * parts * 2;
            for (unsigned long part = 0; part < parts; ++part) {
                out[2 * part] = static_cast<float>(shape.part(part).x() * x_scale);
                out[2 * part + 1] = static_cast<float>(shape.part(part).y() * y_scale);
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
