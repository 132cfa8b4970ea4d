package dev.baton.connectors.sap.sandbox;

/** A request the Gateway refuses, answered with {@code status} and SAP's OData V2 error body. */
final class ODataException extends RuntimeException {

    private final int status;
    private final String code;

    ODataException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static ODataException notFound(String message) {
        return new ODataException(404, "SY/530", message);
    }

    static ODataException badRequest(String message) {
        return new ODataException(400, "/IWBEP/CM_MGW_RT/020", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
