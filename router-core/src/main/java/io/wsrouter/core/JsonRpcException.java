package io.wsrouter.core;

/**
 * A JSON-RPC 2.0 error raised by a {@link JsonRpcMethod}: becomes
 * {@code {"jsonrpc":"2.0","error":{"code":...,"message":...,"data":...},"id":...}}.
 *
 * <p>The constants are the codes of the JSON-RPC 2.0 specification, section 5.1. Application
 * codes should avoid the reserved range -32768 to -32000.
 */
public class JsonRpcException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Invalid JSON was received. */
    public static final int PARSE_ERROR = -32700;
    /** The JSON sent is not a valid Request object. */
    public static final int INVALID_REQUEST = -32600;
    /** The method does not exist or is not available. */
    public static final int METHOD_NOT_FOUND = -32601;
    /** Invalid method parameters. */
    public static final int INVALID_PARAMS = -32602;
    /** Internal JSON-RPC error. */
    public static final int INTERNAL_ERROR = -32603;

    /** The JSON-RPC error code, sent as {@code error.code}. */
    private final int code;
    private final transient Object data;

    /**
     * Creates a JSON-RPC error with a code, a message and optional data.
     *
     * @param code    the error code
     * @param message a short description, sent to the client
     * @param data    extra information, serialized with Jackson, or null
     */
    public JsonRpcException(int code, String message, Object data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    /**
     * Creates the error for a call whose parameters are wrong.
     *
     * @param detail what is wrong with the parameters, for the client (for example
     *               {@code "a must be a number"}); sent as {@code error.data}, may be null
     * @return an {@link #INVALID_PARAMS} error whose {@code data} is the detail
     */
    public static JsonRpcException invalidParams(String detail) {
        return new JsonRpcException(INVALID_PARAMS, "Invalid params", detail);
    }

    /** {@return the error code} */
    public int code() {
        return code;
    }

    /** {@return the {@code data} member, or null} */
    public Object data() {
        return data;
    }
}
