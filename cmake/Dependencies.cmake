# Every dependency is a Debian 12 package found through find_package or pkg-config.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(SQLiteCpp REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(OpenCV 4.5 REQUIRED COMPONENTS core imgproc imgcodecs videoio img_hash tracking objdetect)
pkg_check_modules(UCHARDET REQUIRED IMPORTED_TARGET uchardet)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(TINYXML2 REQUIRED IMPORTED_TARGET tinyxml2)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)
pkg_check_modules(OPENCC REQUIRED IMPORTED_TARGET opencc)
# OCR pre-labels (labeling/assist/ocr.cpp): linked, not run as a CLI, so recognition can be
# cancelled through its monitor and needs no temporary files.
pkg_check_modules(TESSERACT REQUIRED IMPORTED_TARGET tesseract)
# Import decodes JPEGs with libjpeg(-turbo) directly (labeling/import/jpeg_decode.cpp): the
# same library OpenCV uses, asked for BGR so no per-pixel swap follows.
pkg_check_modules(LIBJPEG REQUIRED IMPORTED_TARGET libjpeg)

add_library(lb_opencv INTERFACE)
target_include_directories(lb_opencv SYSTEM INTERFACE ${OpenCV_INCLUDE_DIRS})
target_link_libraries(lb_opencv INTERFACE ${OpenCV_LIBS})

if(LB_BUILD_GUI)
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
  pkg_check_modules(GLFW REQUIRED IMPORTED_TARGET glfw3)
  pkg_check_modules(FONTCONFIG REQUIRED IMPORTED_TARGET fontconfig)
  pkg_check_modules(FREETYPE REQUIRED IMPORTED_TARGET freetype2)
  set(OpenGL_GL_PREFERENCE GLVND)
  find_package(OpenGL REQUIRED)
endif()
if(LB_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
