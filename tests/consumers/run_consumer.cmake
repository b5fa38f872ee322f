# Configures, builds and runs one consumer project of tests/consumers/.
#   cmake -DCONSUMER=find_package|add_subdirectory|fetchcontent|single_header
#         -DSOURCE_DIR=<TenantMigrator source> -DWORK_DIR=<scratch folder>
#         -DGENERATOR=... -DCXX_COMPILER=... [-DLAUNCHER=ccache] [-DWITH_POSTGRESQL=ON]
#         -P run_consumer.cmake
# For find_package, TenantMigrator is first configured on its own (no tests,
# no examples) and installed into WORK_DIR/prefix, as a user or a packager would.
cmake_minimum_required(VERSION 3.20)

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${CONSUMER}: ${step} failed (${status}):\n${output}")
  endif()
  set(step_output "${output}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(common_args -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
if(LAUNCHER)
  list(APPEND common_args -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
set(consumer_args -DTENANT_MIGRATOR_SOURCE_DIR=${SOURCE_DIR})

if(CONSUMER STREQUAL "find_package")
  set(prefix ${WORK_DIR}/prefix)
  run("configuring TenantMigrator for install" ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/tenant_migrator
      ${common_args} -DCMAKE_INSTALL_PREFIX=${prefix} -DTENANT_MIGRATOR_WITH_POSTGRESQL=${WITH_POSTGRESQL}
      -DTENANT_MIGRATOR_BUILD_TESTS=OFF -DTENANT_MIGRATOR_BUILD_EXAMPLES=OFF)
  run("installing TenantMigrator" ${CMAKE_COMMAND} --install ${WORK_DIR}/tenant_migrator)
  # Header-only: the version file must accept a consumer of another pointer
  # size (ARCH_INDEPENDENT), as find_package would ask it.
  set(CMAKE_SIZEOF_VOID_P 4)
  set(PACKAGE_FIND_VERSION 0.1)
  set(PACKAGE_FIND_VERSION_MAJOR 0)
  set(PACKAGE_FIND_VERSION_MINOR 1)
  include(${prefix}/share/cmake/TenantMigrator/TenantMigratorConfigVersion.cmake)
  if(PACKAGE_VERSION_UNSUITABLE OR NOT PACKAGE_VERSION_COMPATIBLE)
    message(FATAL_ERROR "TenantMigratorConfigVersion.cmake refuses a 32-bit consumer: not ARCH_INDEPENDENT")
  endif()
  if(NOT EXISTS ${prefix}/include/tenant_migrator/tenant_migrator.hpp)
    message(FATAL_ERROR "the headers were not installed under ${prefix}/include")
  endif()
  if(NOT EXISTS ${prefix}/include/tenant_migrator_single/tenant_migrator/tenant_migrator.hpp)
    message(FATAL_ERROR "the single headers were not installed under ${prefix}/include/tenant_migrator_single")
  endif()
  # Consumers pay for what they use: with SQLite3 made unfindable, a consumer of
  # one other component configures (find_package_components/ checks that it
  # got that component alone), and one that asks for sqlite fails, naming SQLite3.
  if(WITH_POSTGRESQL)
    set(other_component postgresql)
  else()
    set(other_component json)
  endif()
  set(components_args ${common_args} -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON)
  run("configuring a ${other_component}-only consumer without SQLite3" ${CMAKE_COMMAND}
      -S ${CMAKE_CURRENT_LIST_DIR}/find_package_components -B ${WORK_DIR}/components_${other_component}
      ${components_args} -DCOMPONENT=${other_component})
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR}/find_package_components
                          -B ${WORK_DIR}/components_sqlite ${components_args} -DCOMPONENT=sqlite
                  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(status EQUAL 0 OR NOT output MATCHES "component 'sqlite' needs SQLite3, which was not found")
    message(FATAL_ERROR "${CONSUMER}: COMPONENTS sqlite without SQLite3 must fail naming SQLite3 (${status}):\n${output}")
  endif()
  # Only the prefix: the consumer must not see the source tree.
  set(consumer_args -DCMAKE_PREFIX_PATH=${prefix} -DEXPECT_POSTGRESQL=${WITH_POSTGRESQL})
endif()

run("configuring the consumer" ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR}/${CONSUMER} -B ${WORK_DIR}/build
    ${common_args} ${consumer_args})
run("building the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run("running the consumer" ${WORK_DIR}/build/consumer ${WORK_DIR}/run)
message("${step_output}")
