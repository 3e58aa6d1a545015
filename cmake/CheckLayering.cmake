# The architecture's arrows, checked on every build: run as
#   cmake -DCORE_DIR=<core> -DWIDGETS_DIR=<QtWidgets include dir> [-DUI_DIR=<ui>] [-DSTAMP=<file>]
#         -P CheckLayering.cmake
# It fails (and with it the build) when
#   - anything in core/ includes a Qt Widgets header or a ui/ header: core has no widgets;
#   - core/transport includes history/ or session/: transport is below storage and the session;
#   - a layer below the session includes session/;
#   - a layer below the test plans (the session included) includes testplan/.
# Each violation is named with its file, line and the rule it breaks.

cmake_minimum_required(VERSION 3.25) # script mode: IN_LIST and current policies

file(GLOB widget_headers RELATIVE "${WIDGETS_DIR}" "${WIDGETS_DIR}/Q*")
set(ui_headers)
if(UI_DIR)
  file(GLOB ui_headers RELATIVE "${UI_DIR}" "${UI_DIR}/*.h")
endif()

file(GLOB_RECURSE sources RELATIVE "${CORE_DIR}" "${CORE_DIR}/*.h" "${CORE_DIR}/*.cpp")
set(violations)
foreach(source IN LISTS sources)
  string(REGEX MATCH "^[^/]+" layer "${source}")
  file(STRINGS "${CORE_DIR}/${source}" lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    string(REGEX MATCH "[<\"]([^>\"]+)[>\"]" _ "${line}")
    set(header "${CMAKE_MATCH_1}")
    get_filename_component(header_name "${header}" NAME)
    if(header MATCHES "^QtWidgets" OR (header STREQUAL header_name AND header IN_LIST widget_headers))
      list(APPEND violations "core/${source}: includes <${header}>, a Qt Widgets header (core has no widgets)")
    elseif(header MATCHES "^ui/" OR (header STREQUAL header_name AND header IN_LIST ui_headers))
      list(APPEND violations "core/${source}: includes \"${header}\" from ui/ (arrows point down only)")
    elseif(layer STREQUAL "transport" AND header MATCHES "^history/")
      list(APPEND violations "core/${source}: includes \"${header}\" (transport never includes history)")
    elseif(NOT layer MATCHES "^(session|testplan)$" AND header MATCHES "^session/")
      list(APPEND violations "core/${source}: includes \"${header}\" (only front ends use the session)")
    elseif(NOT layer STREQUAL "testplan" AND header MATCHES "^testplan/")
      list(APPEND violations "core/${source}: includes \"${header}\" (test plans sit above the session)")
    endif()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "Layering violations:\n  ${text}")
endif()
if(STAMP)
  file(TOUCH "${STAMP}")
endif()
message(STATUS "Layering: ${CORE_DIR} keeps its arrows (${CMAKE_CURRENT_LIST_FILE})")
