// libpq, opened on first use (lazy/library.hpp says why).
#include <libpq-fe.h>

#include "library.hpp"

namespace {

// The libpq functions the PostgreSQL adapter calls (include/tenant_migrator/adapters/postgresql/).
#define MANAGE_LIBPQ_FUNCTIONS(X)                                                                                    \
  X(PQconnectdbParams) X(PQfinish) X(PQstatus) X(PQtransactionStatus) X(PQparameterStatus) X(PQerrorMessage)       \
  X(PQsetNoticeProcessor) X(PQexec) X(PQexecParams) X(PQsendQuery) X(PQgetResult) X(PQgetCopyData) X(PQputCopyEnd) \
  X(PQresultStatus) X(PQresultErrorMessage) X(PQresultErrorField) X(PQntuples) X(PQnfields) X(PQgetvalue)          \
  X(PQgetlength) X(PQgetisnull) X(PQcmdStatus) X(PQclear) X(PQfreemem) X(PQgetCancel) X(PQfreeCancel) X(PQcancel)  \
  X(PQconninfoParse) X(PQconninfoFree)

struct libpq_functions {
  MANAGE_LIBPQ_FUNCTIONS(MANAGE_LAZY_MEMBER)
};

const libpq_functions& libpq() {
  // A failed load throws; the next call tries again.
  static const libpq_functions loaded = [] {
    const char* soname = "libpq.so.5";
    void* library = manage::lazy::open(soname, "PostgreSQL", "libpq5");
    libpq_functions f;
    MANAGE_LIBPQ_FUNCTIONS(MANAGE_LAZY_LOOKUP)
    return f;
  }();
  return loaded;
}

}  // namespace

extern "C" {

PGconn* PQconnectdbParams(const char* const* keywords, const char* const* values, int expand_dbname) {
  return libpq().PQconnectdbParams(keywords, values, expand_dbname);
}
void PQfinish(PGconn* conn) { libpq().PQfinish(conn); }
ConnStatusType PQstatus(const PGconn* conn) { return libpq().PQstatus(conn); }
PGTransactionStatusType PQtransactionStatus(const PGconn* conn) { return libpq().PQtransactionStatus(conn); }
const char* PQparameterStatus(const PGconn* conn, const char* paramName) {
  return libpq().PQparameterStatus(conn, paramName);
}
char* PQerrorMessage(const PGconn* conn) { return libpq().PQerrorMessage(conn); }
PQnoticeProcessor PQsetNoticeProcessor(PGconn* conn, PQnoticeProcessor proc, void* arg) {
  return libpq().PQsetNoticeProcessor(conn, proc, arg);
}
PGresult* PQexec(PGconn* conn, const char* query) { return libpq().PQexec(conn, query); }
PGresult* PQexecParams(PGconn* conn, const char* command, int nParams, const Oid* paramTypes,
                       const char* const* paramValues, const int* paramLengths, const int* paramFormats,
                       int resultFormat) {
  return libpq().PQexecParams(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats,
                              resultFormat);
}
int PQsendQuery(PGconn* conn, const char* query) { return libpq().PQsendQuery(conn, query); }
PGresult* PQgetResult(PGconn* conn) { return libpq().PQgetResult(conn); }
int PQgetCopyData(PGconn* conn, char** buffer, int async) { return libpq().PQgetCopyData(conn, buffer, async); }
int PQputCopyEnd(PGconn* conn, const char* errormsg) { return libpq().PQputCopyEnd(conn, errormsg); }
ExecStatusType PQresultStatus(const PGresult* res) { return libpq().PQresultStatus(res); }
char* PQresultErrorMessage(const PGresult* res) { return libpq().PQresultErrorMessage(res); }
char* PQresultErrorField(const PGresult* res, int fieldcode) { return libpq().PQresultErrorField(res, fieldcode); }
int PQntuples(const PGresult* res) { return libpq().PQntuples(res); }
int PQnfields(const PGresult* res) { return libpq().PQnfields(res); }
char* PQgetvalue(const PGresult* res, int tup_num, int field_num) {
  return libpq().PQgetvalue(res, tup_num, field_num);
}
int PQgetlength(const PGresult* res, int tup_num, int field_num) {
  return libpq().PQgetlength(res, tup_num, field_num);
}
int PQgetisnull(const PGresult* res, int tup_num, int field_num) {
  return libpq().PQgetisnull(res, tup_num, field_num);
}
char* PQcmdStatus(PGresult* res) { return libpq().PQcmdStatus(res); }
void PQclear(PGresult* res) { libpq().PQclear(res); }
void PQfreemem(void* ptr) { libpq().PQfreemem(ptr); }
PGcancel* PQgetCancel(PGconn* conn) { return libpq().PQgetCancel(conn); }
void PQfreeCancel(PGcancel* cancel) { libpq().PQfreeCancel(cancel); }
int PQcancel(PGcancel* cancel, char* errbuf, int errbufsize) { return libpq().PQcancel(cancel, errbuf, errbufsize); }
PQconninfoOption* PQconninfoParse(const char* conninfo, char** errmsg) {
  return libpq().PQconninfoParse(conninfo, errmsg);
}
void PQconninfoFree(PQconninfoOption* connOptions) { libpq().PQconninfoFree(connOptions); }

}  // extern "C"
