# Precompiled headers: most of a translation unit's compile time here is spent parsing the same Qt
# and standard headers (measured on Profile.cpp: 4.8 s of CPU without, 2.4 s with). Three headers
# are compiled once each and reused by every target of their kind (tests: of their folder):
#   product code (core floors, cli):  dcr_common's, Qt Core + the standard library
#   widgets (ui):                     dcr_ui's, the above + Qt Widgets
#   tests:                            one per test folder and kind, the above + Qt Test,
#                                     Network, Sql (and Widgets)
# GCC refuses a header compiled with incompatible flags (-Winvalid-pch, an error under -Werror), so
# a wrong reuse fails the build instead of silently compiling slowly. Other compilers (the clang
# fuzz preset) build without.
include_guard(GLOBAL)

if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  option(DCR_PRECOMPILED_HEADERS "Reuse precompiled Qt and standard headers" ON)
else()
  set(DCR_PRECOMPILED_HEADERS OFF)
endif()

set(DCR_PCH_CORE
  <QByteArray> <QCoreApplication> <QDateTime> <QHash> <QJsonArray> <QJsonDocument> <QJsonObject>
  <QJsonValue> <QList> <QMap> <QObject> <QString> <QStringList> <QUrl> <QVariant>
  <functional> <memory> <optional> <string> <utility> <variant> <vector>)
set(DCR_PCH_WIDGETS <QAction> <QComboBox> <QLabel> <QLineEdit> <QPlainTextEdit> <QPushButton>
  <QWidget>)
set(DCR_PCH_TESTS <QTest> <QSignalSpy> <QTemporaryDir> <QSslKey> <QSslConfiguration>
  <QNetworkRequest> <QSqlDatabase> <QSqlQuery>)

# Product code without widgets: dcr_common compiles the header, the other floors and dcr_cli reuse it.
function(dcr_precompile_product target)
  if(NOT DCR_PRECOMPILED_HEADERS)
    return()
  endif()
  if(target STREQUAL "dcr_common")
    target_precompile_headers(dcr_common PRIVATE ${DCR_PCH_CORE})
  else()
    target_precompile_headers(${target} REUSE_FROM dcr_common)
  endif()
endfunction()

function(dcr_precompile_widgets target)
  if(DCR_PRECOMPILED_HEADERS)
    target_precompile_headers(${target} PRIVATE ${DCR_PCH_CORE} ${DCR_PCH_WIDGETS})
  endif()
endfunction()

# Tests: a header per test folder and kind (with widgets or without). Qt Test's headers depend on
# which Qt modules a target links (QT_GUI_LIB, QT_WIDGETS_LIB, QT_NETWORK_LIB pull in qtest_gui.h
# and qtest_network.h) and on its folder (QT_TESTCASE_BUILDDIR/SOURCEDIR), and GCC refuses a
# header made with other values, so every test of a folder and kind links the same Qt modules as
# its header's owner, made in the same folder. Benchmarks (no Qt Test) have none.
function(dcr_precompile_test target)
  if(NOT DCR_PRECOMPILED_HEADERS)
    return()
  endif()
  get_target_property(libs ${target} LINK_LIBRARIES)
  if(libs MATCHES "(^|;)(dcr_ui|Qt6::Widgets|Qt6::Gui)(;|$)")
    set(kind widgets)
    set(modules Qt6::Test Qt6::Widgets Qt6::Network Qt6::Sql)
    set(headers ${DCR_PCH_CORE} ${DCR_PCH_WIDGETS} ${DCR_PCH_TESTS})
  else()
    set(kind core)
    set(modules Qt6::Test Qt6::Network Qt6::Sql)
    set(headers ${DCR_PCH_CORE} ${DCR_PCH_TESTS})
  endif()
  file(RELATIVE_PATH folder ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
  string(MAKE_C_IDENTIFIER "${folder}" folder)
  set(owner dcr_pch_${folder}_${kind})
  if(NOT TARGET ${owner})
    add_library(${owner} OBJECT ${PROJECT_SOURCE_DIR}/cmake/PrecompiledHeaders.cpp)
    target_link_libraries(${owner} PRIVATE ${modules})
    target_precompile_headers(${owner} PRIVATE ${headers})
  endif()
  target_link_libraries(${target} PRIVATE ${modules})
  target_precompile_headers(${target} REUSE_FROM ${owner})
endfunction()
