// osquery's extension interface, as osqueryd speaks it (osquery/extensions/thrift/osquery.thrift).
// Field ids, types and method signatures must match osqueryd exactly: a mismatch is silently
// skipped by the binary protocol and shows up as empty values, not as an error.
// Regenerate the bindings in extension/gen/ with `npm run gen` after any change.

namespace cpp osquery.extensions
namespace py osquery.extensions

/// The request of a registry call: for a table, action=generate|columns and context=JSON.
typedef map<string, string> ExtensionPluginRequest
/// The response of a registry call: rows for a table, routes for `columns`.
typedef list<map<string, string>> ExtensionPluginResponse

/// One osqueryd option (command-line flag) as returned by options().
struct InternalOptionInfo {
  1:string value,
  2:string default_value,
  3:string type,
}

/// Options keyed by flag name.
typedef map<string, InternalOptionInfo> InternalOptionList

/// What an extension tells osqueryd about itself when it registers.
struct InternalExtensionInfo {
  1:string name,
  2:string version,
  3:string sdk_version,
  4:string min_sdk_version,
}

/// The id osqueryd gives each registered extension; its socket is `<manager socket>.<uuid>`.
typedef i64 ExtensionRouteUUID
/// Plugin name to its routes (for a table: one map per column).
typedef map<string, ExtensionPluginResponse> ExtensionRouteTable
/// Registry name ("table", "config", "logger", ...) to its plugins.
typedef map<string, ExtensionRouteTable> ExtensionRegistry
/// Every registered extension, keyed by uuid.
typedef map<ExtensionRouteUUID, InternalExtensionInfo> InternalExtensionList

enum ExtensionCode {
  EXT_SUCCESS = 0,
  EXT_FAILED = 1,
  EXT_FATAL = 2,
}

/// The outcome of most calls: code 0 is success, 1 a failure described by message.
struct ExtensionStatus {
  1:i32 code,
  2:string message,
  3:ExtensionRouteUUID uuid,
}

struct ExtensionResponse {
  1:ExtensionStatus status,
  2:ExtensionPluginResponse response,
}

exception ExtensionException {
  1:i32 code,
  2:string message,
  3:ExtensionRouteUUID uuid,
}

/// Served by every extension, and by osqueryd itself.
service Extension {
  ExtensionStatus ping(),
  ExtensionResponse call(
    1:string registry,
    2:string item,
    3:ExtensionPluginRequest request),
  void shutdown(),
}

/// Served by osqueryd on its extensions socket (--extensions_socket).
service ExtensionManager extends Extension {
  InternalExtensionList extensions(),
  InternalOptionList options(),
  ExtensionStatus registerExtension(
    1:InternalExtensionInfo info,
    2:ExtensionRegistry registry),
  ExtensionStatus deregisterExtension(
    1:ExtensionRouteUUID uuid,
  ),
  ExtensionResponse query(
    1:string sql,
  ),
  ExtensionResponse getQueryColumns(
    1:string sql,
  ),
}
