# Runs CheckLayering.cmake on the fixture tree and asserts that it fails and names every planted
# violation (file and rule), so a check that quietly stopped checking cannot pass.
execute_process(
  COMMAND ${CMAKE_COMMAND} -DCORE_DIR=${FIXTURE} -DWIDGETS_DIR=${WIDGETS_DIR} -DUI_DIR=${UI_DIR}
          -P ${CHECK}
  RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX REPLACE "[ \n]+" " " text "${out}${err}")
if(result EQUAL 0)
  message(FATAL_ERROR "the layering check passed a tree full of violations:\n${text}")
endif()
foreach(expected
    "Leaky.h: includes \"history/HistoryStore.h\" (transport never includes history)"
    "Leaky.h: includes \"session/Session.h\" (only front ends use the session)"
    "Leaky.h: includes <QWidget>, a Qt Widgets header"
    "Widgety.cpp: includes \"MainWindow.h\" from ui/"
    "Widgety.cpp: includes <QtWidgets/QLabel>, a Qt Widgets header")
  string(FIND "${text}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "not reported: ${expected}\noutput: ${text}")
  endif()
endforeach()
message(STATUS "all five planted violations reported")
