// dlib's own shape predictor (dlib::shape_predictor, unchanged) on every image
// of a FER-layout CSV, each enlarged with dlib's bilinear resize and boxed by
// the inset crop, as FERLab's landmark step defines them. Writes JSON: per
// image, the x and y of each point in the enlarged image (dlib's integers).
// Built and run by make_landmark_fixtures.sh.
#include <dlib/image_processing.h>
#include <dlib/image_transforms/interpolation.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char **argv) {
    if (argc != 5) {
        std::cerr << "usage: landmarks_reference MODEL CSV UPSCALE INSET\n";
        return 2;
    }
    dlib::shape_predictor predictor;
    dlib::deserialize(argv[1]) >> predictor;
    const long upscale = std::atol(argv[3]);
    const double inset = std::atof(argv[4]);
    std::ifstream csv(argv[2]);
    std::string line;
    std::getline(csv, line);  // the header
    std::cout << "{\"upscale\": " << upscale << ", \"inset\": " << inset << ", \"points\": [";
    bool first = true;
    while (std::getline(csv, line)) {
        const size_t start = line.find(',') + 1, end = line.find(',', start);
        std::istringstream values(line.substr(start, end - start));
        std::vector<int> pixels;
        for (int value; values >> value;) pixels.push_back(value);
        const long side = std::lround(std::sqrt(static_cast<double>(pixels.size())));
        dlib::array2d<unsigned char> image(side, side), enlarged(side * upscale, side * upscale);
        for (long row = 0; row < side; ++row)
            for (long column = 0; column < side; ++column) image[row][column] = pixels[row * side + column];
        dlib::resize_image(image, enlarged, dlib::interpolate_bilinear());
        const long big = side * upscale, left = std::lround(inset * big), top = std::lround(inset * big);
        const dlib::full_object_detection shape =
            predictor(enlarged, dlib::rectangle(left, top, big - 1 - left, big - 1 - top));
        std::cout << (first ? "\n  [" : ",\n  [");
        for (unsigned long part = 0; part < shape.num_parts(); ++part) {
            std::cout << (part ? ", " : "") << shape.part(part).x() << ", " << shape.part(part).y();
        }
        std::cout << "]";
        first = false;
    }
    std::cout << "\n]}\n";
    return 0;
}
