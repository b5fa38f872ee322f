# Installs the headers, the single headers and a package config:
#   find_package(TenantMigrator CONFIG REQUIRED COMPONENTS sqlite postgresql json)
# The core and each component are exported apart (one export file each), so
# that the config can load a component only after finding its library.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Beside include/, not in it: the single headers have the same names as the
# headers above and would shadow them. Use: -I<prefix>/include/tenant_migrator_single
install(DIRECTORY ${PROJECT_SOURCE_DIR}/single_include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tenant_migrator_single)

set(_tm_cmake_dir ${CMAKE_INSTALL_DATADIR}/cmake/TenantMigrator)
install(TARGETS tenant_migrator EXPORT TenantMigratorTargets)
install(EXPORT TenantMigratorTargets NAMESPACE tenant_migrator:: DESTINATION ${_tm_cmake_dir})
foreach(_tm_component IN LISTS _tm_components)
  set_target_properties(tenant_migrator_${_tm_component} PROPERTIES EXPORT_NAME ${_tm_component})
  install(TARGETS tenant_migrator_${_tm_component} EXPORT TenantMigrator_${_tm_component}Targets)
  install(EXPORT TenantMigrator_${_tm_component}Targets NAMESPACE tenant_migrator:: DESTINATION ${_tm_cmake_dir})
endforeach()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/TenantMigratorConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/TenantMigratorConfig.cmake INSTALL_DESTINATION ${_tm_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/TenantMigratorConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES ${PROJECT_BINARY_DIR}/TenantMigratorConfig.cmake ${PROJECT_BINARY_DIR}/TenantMigratorConfigVersion.cmake
        DESTINATION ${_tm_cmake_dir})
