# Per-generator settings: the .deb installs under /usr with Debian's libraries; the portable
# archive is relocatable (prefix "/") and adds the launcher and bundled libraries.
if(CPACK_GENERATOR STREQUAL "TGZ")
  set(CPACK_PACKAGING_INSTALL_PREFIX "/")
  set(CPACK_INSTALL_CMAKE_PROJECTS "${CPACK_BUILD_DIR_HINT};LabelBench;app;/;${CPACK_BUILD_DIR_HINT};LabelBench;portable;/")
  set(CPACK_PACKAGE_FILE_NAME "labelbench-${CPACK_PACKAGE_VERSION}-portable-linux-x86_64")
endif()
