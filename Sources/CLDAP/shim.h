#ifndef BERTH_CLDAP_SHIM_H
#define BERTH_CLDAP_SHIM_H
#include <ldap.h>
#endif
