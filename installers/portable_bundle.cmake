# Copies the shared libraries the binaries need, except the C runtime and the graphics stack
# (which must come from the machine's own drivers), into lib/ of the portable tree.
set(prefix "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
file(GLOB exes "${prefix}/bin/labelbench*")
file(GLOB plugins "${prefix}/lib/labelbench/plugins/*.so")
file(GET_RUNTIME_DEPENDENCIES
  EXECUTABLES ${exes}
  MODULES ${plugins}
  RESOLVED_DEPENDENCIES_VAR deps
  UNRESOLVED_DEPENDENCIES_VAR missing
  PRE_EXCLUDE_REGEXES "^ld-linux" "^libc\\.so" "^libm\\.so" "^libdl\\.so" "^libpthread\\.so" "^librt\\.so"
                      "^libGL" "^libOpenGL" "^libEGL" "^libGLX" "^libGLdispatch" "^libX11" "^libxcb" "^libdrm"
                      "^libstdc\\+\\+" "^libgcc_s"
  POST_EXCLUDE_REGEXES "^/lib64/ld-linux")
if(missing)
  message(FATAL_ERROR "portable bundle: cannot resolve ${missing}")
endif()
file(MAKE_DIRECTORY "${prefix}/lib/labelbench/bundled")
foreach(d IN LISTS deps)
  file(COPY "${d}" DESTINATION "${prefix}/lib/labelbench/bundled" FOLLOW_SYMLINK_CHAIN)
endforeach()
list(LENGTH deps n)
message(STATUS "portable bundle: ${n} shared libraries copied")
