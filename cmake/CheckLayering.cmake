# The architecture's arrows, checked on every build: run as
#   cmake -DCORE_DIR=<core> -DWIDGETS_DIR=<QtWidgets include dir> [-DUI_DIR=<ui>]
#         [-DFLOORS=<floor>:<below>,...|...] [-DSTAMP=<file>] -P CheckLayering.cmake
# FLOORS is the link graph core/CMakeLists.txt builds (dcr_add_floor): each floor with the floors
# it links directly, e.g. "common:|jose:common|registration:jose".
# It fails (and with it the build) when
#   - anything in core/ includes a Qt Widgets header or a ui/ header: core has no widgets;
#   - core/transport includes history/ or session/: transport is below storage and the session;
#   - a layer below the session includes session/;
#   - a layer below the test plans (the session included) includes testplan/;
#   - with FLOORS: a floor includes a header of a floor it does not link (directly or through the
#     floors below it), or core/ holds a directory that is no floor.
# Each violation is named with its file, line and the rule it breaks.

cmake_minimum_required(VERSION 3.25) # script mode: IN_LIST and current policies

file(GLOB widget_headers RELATIVE "${WIDGETS_DIR}" "${WIDGETS_DIR}/Q*")
set(ui_headers)
if(UI_DIR)
  file(GLOB ui_headers RELATIVE "${UI_DIR}" "${UI_DIR}/*.h")
endif()

# The floors each floor may include: itself and everything it links, transitively.
set(floors)
if(FLOORS)
  string(REPLACE "|" ";" arrows "${FLOORS}")
  foreach(arrow IN LISTS arrows)
    string(REPLACE ":" ";" parts "${arrow}")
    list(GET parts 0 floor)
    list(APPEND floors ${floor})
    set(direct_${floor})
    list(LENGTH parts n)
    if(n GREATER 1)
      list(GET parts 1 below)
      string(REPLACE "," ";" direct_${floor} "${below}")
    endif()
  endforeach()
  foreach(floor IN LISTS floors)
    set(reach_${floor} ${floor})
    set(todo ${direct_${floor}})
    while(todo)
      list(POP_FRONT todo next)
      if(NOT next IN_LIST reach_${floor})
        list(APPEND reach_${floor} ${next})
        list(APPEND todo ${direct_${next}})
      endif()
    endwhile()
  endforeach()
endif()

file(GLOB_RECURSE sources RELATIVE "${CORE_DIR}" "${CORE_DIR}/*.h" "${CORE_DIR}/*.cpp")
set(violations)
set(strays)
foreach(source IN LISTS sources)
  string(REGEX MATCH "^[^/]+" layer "${source}")
  if(floors AND NOT layer IN_LIST floors AND NOT layer IN_LIST strays)
    list(APPEND strays ${layer})
    list(APPEND violations "core/${layer}/: not a floor (add it with dcr_add_floor in core/CMakeLists.txt)")
  endif()
  file(STRINGS "${CORE_DIR}/${source}" lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    string(REGEX MATCH "[<\"]([^>\"]+)[>\"]" _ "${line}")
    set(header "${CMAKE_MATCH_1}")
    get_filename_component(header_name "${header}" NAME)
    string(REGEX MATCH "^[^/]+" header_floor "${header}")
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
    elseif(layer IN_LIST floors AND header_floor IN_LIST floors
           AND NOT header_floor IN_LIST reach_${layer})
      list(APPEND violations "core/${source}: includes \"${header}\" (dcr_${layer} does not link dcr_${header_floor})")
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
