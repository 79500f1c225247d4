// Writes the seed photos of fuzz/corpus/photo/ with the test image helpers:
//   make_photo_seeds fuzz/corpus/photo
// Run once by hand; the (tiny) files are committed.

#include <cstdio>
#include <fstream>
#include <string>

#include "tests/support/images.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_photo_seeds DIR\n");
    return 2;
  }
  std::string dir = argv[1];
  auto write = [&dir](const std::string& name, const std::string& bytes) {
    std::ofstream{dir + "/" + name, std::ios::binary} << bytes;
  };
  using namespace idclaim::testing;
  write("tiny.png", make_png(2, 2));
  write("gray.png", make_gray_png(8, 3));
  write("lying_ihdr.png", make_png_claiming(2, 2, 4, 4));
  write("tiny.jpg", make_jpeg(2, 2));
  write("progressive.jpg", make_jpeg(16, 16, true));
  write("restarts.jpg", make_jpeg_with_restarts(16, 8));
  write("tiny.gif", make_gif(2, 2));
  write("tiny.bmp", make_other_image("bmp", 2, 2));
  return 0;
}
