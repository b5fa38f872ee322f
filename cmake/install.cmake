# Installs the headers and a package config: find_package(TenantMigrator CONFIG REQUIRED).
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
set(_tm_targets tenant_migrator tenant_migrator_sqlite)
if(TENANT_MIGRATOR_WITH_POSTGRESQL)
  list(APPEND _tm_targets tenant_migrator_postgresql)
endif()
install(TARGETS ${_tm_targets} EXPORT TenantMigratorTargets)
foreach(_t IN LISTS _tm_targets)
  string(REPLACE "tenant_migrator_" "" _short ${_t})
  if(NOT _t STREQUAL "tenant_migrator")
    set_target_properties(${_t} PROPERTIES EXPORT_NAME ${_short})
  endif()
endforeach()
set(_tm_cmake_dir ${CMAKE_INSTALL_DATADIR}/cmake/TenantMigrator)
install(EXPORT TenantMigratorTargets NAMESPACE tenant_migrator:: DESTINATION ${_tm_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/TenantMigratorConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/TenantMigratorConfig.cmake INSTALL_DESTINATION ${_tm_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/TenantMigratorConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/TenantMigratorConfig.cmake ${PROJECT_BINARY_DIR}/TenantMigratorConfigVersion.cmake
        DESTINATION ${_tm_cmake_dir})
