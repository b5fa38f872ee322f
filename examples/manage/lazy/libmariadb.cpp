// libmariadb (MariaDB Connector/C), opened on first use (lazy/library.hpp says why).
#include <mysql.h>

#include "library.hpp"

namespace {

// The libmariadb functions the MariaDB adapter calls (include/tenant_migrator/adapters/mariadb/).
#define MANAGE_LIBMARIADB_FUNCTIONS(X)                                                                              \
  X(mysql_init) X(mysql_options) X(mysql_real_connect) X(mysql_close) X(mysql_errno) X(mysql_error)               \
  X(mysql_sqlstate) X(mysql_real_query) X(mysql_store_result) X(mysql_next_result) X(mysql_field_count)           \
  X(mysql_num_fields) X(mysql_free_result) X(mysql_reset_connection) X(mysql_thread_id) X(mysql_get_socket)       \
  X(mysql_get_ssl_cipher) X(mysql_stmt_init) X(mysql_stmt_prepare) X(mysql_stmt_bind_param)                       \
  X(mysql_stmt_bind_result) X(mysql_stmt_execute) X(mysql_stmt_fetch) X(mysql_stmt_fetch_column)                  \
  X(mysql_stmt_result_metadata) X(mysql_stmt_close) X(mysql_stmt_errno) X(mysql_stmt_error) X(mysql_stmt_sqlstate)

struct libmariadb_functions {
  MANAGE_LIBMARIADB_FUNCTIONS(MANAGE_LAZY_MEMBER)
};

const libmariadb_functions& libmariadb() {
  // A failed load throws; the next call tries again.
  static const libmariadb_functions loaded = [] {
    const char* soname = "libmariadb.so.3";
    void* library = manage::lazy::open(soname, "MariaDB", "libmariadb3");
    libmariadb_functions f;
    MANAGE_LIBMARIADB_FUNCTIONS(MANAGE_LAZY_LOOKUP)
    return f;
  }();
  return loaded;
}

}  // namespace

extern "C" {

MYSQL* STDCALL mysql_init(MYSQL* mysql) { return libmariadb().mysql_init(mysql); }
int STDCALL mysql_options(MYSQL* mysql, enum mysql_option option, const void* arg) {
  return libmariadb().mysql_options(mysql, option, arg);
}
MYSQL* STDCALL mysql_real_connect(MYSQL* mysql, const char* host, const char* user, const char* passwd,
                                  const char* db, unsigned int port, const char* unix_socket,
                                  unsigned long clientflag) {
  return libmariadb().mysql_real_connect(mysql, host, user, passwd, db, port, unix_socket, clientflag);
}
void STDCALL mysql_close(MYSQL* sock) { libmariadb().mysql_close(sock); }
unsigned int STDCALL mysql_errno(MYSQL* mysql) { return libmariadb().mysql_errno(mysql); }
const char* STDCALL mysql_error(MYSQL* mysql) { return libmariadb().mysql_error(mysql); }
const char* STDCALL mysql_sqlstate(MYSQL* mysql) { return libmariadb().mysql_sqlstate(mysql); }
int STDCALL mysql_real_query(MYSQL* mysql, const char* q, unsigned long length) {
  return libmariadb().mysql_real_query(mysql, q, length);
}
MYSQL_RES* STDCALL mysql_store_result(MYSQL* mysql) { return libmariadb().mysql_store_result(mysql); }
int STDCALL mysql_next_result(MYSQL* mysql) { return libmariadb().mysql_next_result(mysql); }
unsigned int STDCALL mysql_field_count(MYSQL* mysql) { return libmariadb().mysql_field_count(mysql); }
unsigned int STDCALL mysql_num_fields(MYSQL_RES* res) { return libmariadb().mysql_num_fields(res); }
void STDCALL mysql_free_result(MYSQL_RES* result) { libmariadb().mysql_free_result(result); }
int STDCALL mysql_reset_connection(MYSQL* mysql) { return libmariadb().mysql_reset_connection(mysql); }
unsigned long STDCALL mysql_thread_id(MYSQL* mysql) { return libmariadb().mysql_thread_id(mysql); }
my_socket STDCALL mysql_get_socket(MYSQL* mysql) { return libmariadb().mysql_get_socket(mysql); }
const char* STDCALL mysql_get_ssl_cipher(MYSQL* mysql) { return libmariadb().mysql_get_ssl_cipher(mysql); }
MYSQL_STMT* STDCALL mysql_stmt_init(MYSQL* mysql) { return libmariadb().mysql_stmt_init(mysql); }
int STDCALL mysql_stmt_prepare(MYSQL_STMT* stmt, const char* query, unsigned long length) {
  return libmariadb().mysql_stmt_prepare(stmt, query, length);
}
my_bool STDCALL mysql_stmt_bind_param(MYSQL_STMT* stmt, MYSQL_BIND* bnd) {
  return libmariadb().mysql_stmt_bind_param(stmt, bnd);
}
my_bool STDCALL mysql_stmt_bind_result(MYSQL_STMT* stmt, MYSQL_BIND* bnd) {
  return libmariadb().mysql_stmt_bind_result(stmt, bnd);
}
int STDCALL mysql_stmt_execute(MYSQL_STMT* stmt) { return libmariadb().mysql_stmt_execute(stmt); }
int STDCALL mysql_stmt_fetch(MYSQL_STMT* stmt) { return libmariadb().mysql_stmt_fetch(stmt); }
int STDCALL mysql_stmt_fetch_column(MYSQL_STMT* stmt, MYSQL_BIND* bind_arg, unsigned int column,
                                    unsigned long offset) {
  return libmariadb().mysql_stmt_fetch_column(stmt, bind_arg, column, offset);
}
MYSQL_RES* STDCALL mysql_stmt_result_metadata(MYSQL_STMT* stmt) {
  return libmariadb().mysql_stmt_result_metadata(stmt);
}
my_bool STDCALL mysql_stmt_close(MYSQL_STMT* stmt) { return libmariadb().mysql_stmt_close(stmt); }
unsigned int STDCALL mysql_stmt_errno(MYSQL_STMT* stmt) { return libmariadb().mysql_stmt_errno(stmt); }
const char* STDCALL mysql_stmt_error(MYSQL_STMT* stmt) { return libmariadb().mysql_stmt_error(stmt); }
const char* STDCALL mysql_stmt_sqlstate(MYSQL_STMT* stmt) { return libmariadb().mysql_stmt_sqlstate(stmt); }

}  // extern "C"
