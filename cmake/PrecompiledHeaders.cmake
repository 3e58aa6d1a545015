# Precompiled headers: most of a translation unit's compile time is spent parsing the same Qt and
# standard headers (Profile.cpp: 4.5 s of CPU without, 2.9 s with; a test, tst_jws: 7.7 s without,
# 4.0 s with, -g1). Each header is compiled once and reused by every target of its kind:
#   product code (core floors, cli):  dcr_common's, Qt Core + the standard library
#   widgets (ui):                     dcr_ui's, the above + Qt Widgets
#   tests without widgets:            the first such test's, Qt Core + Qt Test (+ Network)
#   tests with widgets:               the first such test's, the above + Qt Widgets
# A test's header only pays if its near-empty moc file (mocs_compilation.cpp: every test includes
# its own .moc) skips it, else that file pays ~4.5 s to load it; so no test lists a Q_OBJECT
# header among its sources (ScriptedServer's moc is compiled once, in dcr_test_support).
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

set(DCR_PCH_TEST <QTest> <QSignalSpy> <QTemporaryDir> <QProcess> <QRegularExpression> <QFile>
  <QDir>)

# A test (dcr_add_test) reuses the header of its kind, compiled by a target of its own
# (dcr_test_pch_core, dcr_test_pch_widgets) that sees only the macros every test of that kind has:
# GCC accepts a header only where each macro defined when it was made has the same definition
# (a test may define more, such as QT_SQL_LIB, if the header never tests them). Qt Test's headers
# test macros that vary between our tests, so every test gets the same ones:
#   QT_NETWORK_LIB, QT_GUI_LIB/QT_WIDGETS_LIB (Qt Test adds its network and widget helpers):
#     every test links Qt Network, and a widget test Qt Widgets;
#   QT_TESTCASE_BUILDDIR, QT_TESTCASE_SOURCEDIR (Qt6::Test sets them to the test's folders, for
#     QFINDTESTDATA): undefined, as no test uses QFINDTESTDATA (the tests find their data through
#     DCR_TEST_DATA_DIR and DCR_EXAMPLES_DIR).
function(dcr_precompile_test target widgets)
  if(NOT DCR_PRECOMPILED_HEADERS)
    return()
  endif()
  if(widgets)
    set(kind widgets)
    set(qt Qt6::Test Qt6::Network Qt6::Widgets)
  else()
    set(kind core)
    set(qt Qt6::Test Qt6::Network)
  endif()
  set(host dcr_test_pch_${kind})
  if(NOT TARGET ${host})
    set(empty ${CMAKE_BINARY_DIR}/dcr_test_pch_empty.cpp)
    file(CONFIGURE OUTPUT ${empty} CONTENT "// The precompiled headers' host; compiles nothing.\n")
    add_library(${host} OBJECT ${empty})
    set_target_properties(${host} PROPERTIES POSITION_INDEPENDENT_CODE ON AUTOMOC OFF)
    target_link_libraries(${host} PRIVATE ${qt})
    target_compile_options(${host} PRIVATE -UQT_TESTCASE_BUILDDIR -UQT_TESTCASE_SOURCEDIR)
    if(widgets)
      target_precompile_headers(${host} PRIVATE ${DCR_PCH_CORE} ${DCR_PCH_TEST} ${DCR_PCH_WIDGETS}
                                <QApplication>)
    else()
      target_precompile_headers(${host} PRIVATE ${DCR_PCH_CORE} ${DCR_PCH_TEST})
    endif()
  endif()
  target_link_libraries(${target} PRIVATE ${qt})
  target_compile_options(${target} PRIVATE -UQT_TESTCASE_BUILDDIR -UQT_TESTCASE_SOURCEDIR)
  target_precompile_headers(${target} REUSE_FROM ${host})
  # The moc file of a test is empty (see above): parsing nothing beats loading the header.
  set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/${target}_autogen/mocs_compilation.cpp
                              PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
endfunction()
