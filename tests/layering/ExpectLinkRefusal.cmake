# Builds two fixture programs in the build tree (cmake/FloorLinks.cmake): ALLOWED, a library that
# calls a floor it links, must link; UPWARD, the same code in a library that links only floors
# below the one it calls, must fail to link, naming the symbol SYMBOL it calls up for. So the
# link graph, not only the include check, refuses a call that runs up.
foreach(target ALLOWED UPWARD)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${${target}}
                  RESULT_VARIABLE result_${target} OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(text_${target} "${out}${err}")
endforeach()
if(NOT result_ALLOWED EQUAL 0)
  message(FATAL_ERROR "${ALLOWED} (calls a floor it links) did not build:\n${text_ALLOWED}")
endif()
if(result_UPWARD EQUAL 0)
  message(FATAL_ERROR "${UPWARD} linked, though its library calls a floor above it:\n${text_UPWARD}")
endif()
string(REGEX MATCH "undefined (reference to [`']|symbol: )${SYMBOL}" refused "${text_UPWARD}")
if(NOT refused)
  message(FATAL_ERROR "${UPWARD} failed, but not for the call up (${SYMBOL}):\n${text_UPWARD}")
endif()
message(STATUS "${ALLOWED} links; ${UPWARD} is refused: ${refused}")
