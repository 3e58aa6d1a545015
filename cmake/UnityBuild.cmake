# Unity builds of the product libraries: CMake compiles each batch of a library's .cpp files as one
# translation unit, so the precompiled header is loaded, and the Qt and standard templates every
# file uses (QList<QString>, QJsonObject, Result<T>, …) are instantiated and compiled, once per
# batch instead of once per file. Two full builds (dev and asan) are most of CI's time (#26).
# File-local names therefore have to be unique across a library: each file's translation helper is
# named after the file (`struct JwsTr { Q_DECLARE_TR_FUNCTIONS(Jws) };`, used as `JwsTr::tr()`).
# A batch of 8 keeps both cores busy on the larger floors and an edit recompiles 8 files, not 40;
# -DDCR_UNITY_BUILD=OFF compiles file by file (e.g. to find a file that misses an #include).
include_guard(GLOBAL)

option(DCR_UNITY_BUILD "Compile the product libraries in batches of 8 files" ON)

function(dcr_unity_build target)
  if(DCR_UNITY_BUILD)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()
