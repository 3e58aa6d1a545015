# The link graph of core/'s floors, checked by the build itself.
#
# dcr_check_links_alone(<library> [EXCLUDE_FROM_ALL]) adds the program <library>_links_alone: the
# library's whole archive (every object file, called or not) and nothing but what the library
# itself links. A static library links even when its code calls a floor above it; this program
# does not ("undefined reference"), so a floor that calls up fails the build, not just a review.
function(dcr_check_links_alone library)
  cmake_parse_arguments(C "EXCLUDE_FROM_ALL" "" "" ${ARGN})
  set(main ${PROJECT_BINARY_DIR}/cmake/links_alone_main.cpp)
  file(CONFIGURE OUTPUT ${main} CONTENT "int main() { return 0; }\n")
  if(C_EXCLUDE_FROM_ALL)
    add_executable(${library}_links_alone EXCLUDE_FROM_ALL ${main})
  else()
    add_executable(${library}_links_alone ${main})
  endif()
  target_link_libraries(${library}_links_alone PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${library}>")
  set_target_properties(${library}_links_alone PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF)
endfunction()
