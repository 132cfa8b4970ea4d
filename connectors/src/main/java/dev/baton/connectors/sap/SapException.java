package dev.baton.connectors.sap;

/** The Gateway refused or failed an OData command; carries its status and SAP's own error code and text. */
public class SapException extends RuntimeException {

    private final int status;
    private final String sapCode;
    private final String command;

    public SapException(int status, String sapCode, String message, String command) {
        super(message);
        this.status = status;
        this.sapCode = sapCode;
        this.command = command;
    }

    public int status() {
        return status;
    }

    public String sapCode() {
        return sapCode;
    }

    public String command() {
        return command;
    }
}
