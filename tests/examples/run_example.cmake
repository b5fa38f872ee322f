# Runs an example and compares its output with the checked-in expected file.
#   cmake -DPROGRAM=... -DEXPECTED=.../expected_output.txt [-DEXIT_CODE=0] -P run_example.cmake
# Timestamps (ISO 8601 UTC) become <time> before comparing, so the expected
# file holds no clock readings.
if(NOT DEFINED EXIT_CODE)
  set(EXIT_CODE 0)
endif()
execute_process(COMMAND ${PROGRAM} OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
string(REGEX REPLACE "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9](\\.[0-9]+)?Z"
       "<time>" output "${output}")
file(READ ${EXPECTED} expected)
if(NOT status STREQUAL EXIT_CODE)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}, expected ${EXIT_CODE}\nstdout:\n${output}\nstderr:\n${errors}")
endif()
if(NOT output STREQUAL expected)
  get_filename_component(name ${PROGRAM} NAME)
  set(actual_file ${CMAKE_CURRENT_BINARY_DIR}/${name}.actual_output.txt)
  file(WRITE ${actual_file} "${output}")
  execute_process(COMMAND diff -u ${EXPECTED} ${actual_file})
  message(FATAL_ERROR "the output of ${name} differs from ${EXPECTED} (actual output: ${actual_file})")
endif()
message("output matches ${EXPECTED}")
