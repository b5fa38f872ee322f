# Builds test_core and test_sqlite against single_include/ and runs them.
#   cmake -DSOURCE_DIR=... -DBUILD_DIR=... -DGENERATOR=... -DCXX_COMPILER=... [-DLAUNCHER=ccache]
#         [-DWERROR=ON] -P run_test_suite.cmake
# BUILD_DIR is kept between runs: the second run rebuilds only what changed.
cmake_minimum_required(VERSION 3.20)

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  message("${output}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "single header: ${step} failed (${status})")
  endif()
endfunction()

set(launcher_args)
if(LAUNCHER)
  set(launcher_args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
run("configure" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BUILD_DIR} -G "${GENERATOR}"
    -DCMAKE_CXX_COMPILER=${CXX_COMPILER} ${launcher_args} -DTENANT_MIGRATOR_SINGLE_HEADER=ON
    -DTENANT_MIGRATOR_WERROR=${WERROR} -DTENANT_MIGRATOR_BUILD_TESTS=ON
    -DTENANT_MIGRATOR_WITH_POSTGRESQL=OFF -DTENANT_MIGRATOR_INSTALL=OFF)
file(STRINGS ${BUILD_DIR}/CMakeCache.txt single_header REGEX "^TENANT_MIGRATOR_SINGLE_HEADER:BOOL=ON$")
if(NOT single_header)
  message(FATAL_ERROR "the nested build did not take TENANT_MIGRATOR_SINGLE_HEADER=ON")
endif()
run("build" ${CMAKE_COMMAND} --build ${BUILD_DIR} --target test_core test_sqlite --parallel 2)
foreach(test test_core test_sqlite)
  run("${test}" ${BUILD_DIR}/tests/${test})
endforeach()
