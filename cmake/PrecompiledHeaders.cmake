# Precompiled headers for the product code: most of a core translation unit's compile time is
# spent parsing the same Qt and standard headers (Profile.cpp: 4.5 s of CPU without, 2.9 s with).
# Two headers are compiled once each and reused by every target of their kind:
#   product code (core floors, cli):  dcr_common's, Qt Core + the standard library
#   widgets (ui):                     dcr_ui's, the above + Qt Widgets
# Tests have none, measured: a header with Qt Test and Widgets is ~200 MB with debug info, and
# loading it costs about what parsing a test's headers does (tst_base64url 5.6 s with, 5.8 s
# without) while every near-empty moc file of a test target would pay ~4.5 s for it.
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
