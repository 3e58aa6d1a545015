# Runs CheckLayering.cmake on the fixture tree and asserts that it fails and names every planted
# violation (file and rule), so a check that quietly stopped checking cannot pass.
execute_process(
  COMMAND ${CMAKE_COMMAND} -DCORE_DIR=${FIXTURE} -DWIDGETS_DIR=${WIDGETS_DIR} -DUI_DIR=${UI_DIR}
          -DFLOORS=${FLOORS} -P ${CHECK}
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
    "Widgety.cpp: includes <QtWidgets/QLabel>, a Qt Widgets header"
    "ClimbsUp.cpp: includes \"registration/SpecVersion.h\" (dcr_jose does not link dcr_registration)"
    "ClimbsUp.cpp: includes \"testplan/TestPlan.h\" (test plans sit above the session)"
    "Sideways.cpp: includes \"transport/HttpExchange.h\" (dcr_sandbox does not link dcr_transport)"
    "core/extras/: not a floor")
  string(FIND "${text}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "not reported: ${expected}\noutput: ${text}")
  endif()
endforeach()
foreach(allowed "ClimbsUp.cpp: includes \"common/Error.h\""
                "Sideways.cpp: includes \"registration/RegistrationRequest.h\"")
  string(FIND "${text}" "${allowed}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "reported an include from a floor below: ${allowed}\noutput: ${text}")
  endif()
endforeach()
message(STATUS "all nine planted violations reported, the allowed includes not")
