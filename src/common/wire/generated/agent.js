/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const vigil = $root.vigil = (() => {

    /**
     * Namespace vigil.
     * @exports vigil
     * @namespace
     */
    const vigil = {};

    vigil.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof vigil
         * @namespace
         */
        const v1 = {};

        v1.AgentService = (function() {

            /**
             * Constructs a new AgentService service.
             * @memberof vigil.v1
             * @classdesc Represents an AgentService
             * @extends $protobuf.rpc.Service
             * @constructor
             * @param {$protobuf.RPCImpl} rpcImpl RPC implementation
             * @param {boolean} [requestDelimited=false] Whether requests are length-delimited
             * @param {boolean} [responseDelimited=false] Whether responses are length-delimited
             */
            function AgentService(rpcImpl, requestDelimited, responseDelimited) {
                $protobuf.rpc.Service.call(this, rpcImpl, requestDelimited, responseDelimited);
            }

            (AgentService.prototype = Object.create($protobuf.rpc.Service.prototype)).constructor = AgentService;

            /**
             * Creates new AgentService service using the specified rpc implementation.
             * @function create
             * @memberof vigil.v1.AgentService
             * @static
             * @param {$protobuf.RPCImpl} rpcImpl RPC implementation
             * @param {boolean} [requestDelimited=false] Whether requests are length-delimited
             * @param {boolean} [responseDelimited=false] Whether responses are length-delimited
             * @returns {AgentService} RPC service. Useful where requests and/or responses are streamed.
             */
            AgentService.create = function create(rpcImpl, requestDelimited, responseDelimited) {
                return new this(rpcImpl, requestDelimited, responseDelimited);
            };

            /**
             * Callback as used by {@link vigil.v1.AgentService#enroll}.
             * @memberof vigil.v1.AgentService
             * @typedef EnrollCallback
             * @type {function}
             * @param {Error|null} error Error, if any
             * @param {vigil.v1.EnrollResponse} [response] EnrollResponse
             */

            /**
             * Calls Enroll.
             * @function enroll
             * @memberof vigil.v1.AgentService
             * @instance
             * @param {vigil.v1.IEnrollRequest} request EnrollRequest message or plain object
             * @param {vigil.v1.AgentService.EnrollCallback} callback Node-style callback called with the error, if any, and EnrollResponse
             * @returns {undefined}
             * @variation 1
             */
            Object.defineProperty(AgentService.prototype.enroll = function enroll(request, callback) {
                return $protobuf.rpc.Service.prototype.rpcCall.call(this, enroll, $root.vigil.v1.EnrollRequest, $root.vigil.v1.EnrollResponse, request, callback);
            }, "name", { value: "Enroll" });

            /**
             * Calls Enroll.
             * @function enroll
             * @memberof vigil.v1.AgentService
             * @instance
             * @param {vigil.v1.IEnrollRequest} request EnrollRequest message or plain object
             * @returns {Promise<vigil.v1.EnrollResponse>} Promise
             * @variation 2
             */

            /**
             * Callback as used by {@link vigil.v1.AgentService#connect}.
             * @memberof vigil.v1.AgentService
             * @typedef ConnectCallback
             * @type {function}
             * @param {Error|null} error Error, if any
             * @param {vigil.v1.ServerMessage} [response] ServerMessage
             */

            /**
             * Calls Connect.
             * @function connect
             * @memberof vigil.v1.AgentService
             * @instance
             * @param {vigil.v1.IAgentMessage} request AgentMessage message or plain object
             * @param {vigil.v1.AgentService.ConnectCallback} callback Node-style callback called with the error, if any, and ServerMessage
             * @returns {undefined}
             * @variation 1
             */
            Object.defineProperty(AgentService.prototype.connect = function connect(request, callback) {
                return $protobuf.rpc.Service.prototype.rpcCall.call(this, connect, $root.vigil.v1.AgentMessage, $root.vigil.v1.ServerMessage, request, callback);
            }, "name", { value: "Connect" });

            /**
             * Calls Connect.
             * @function connect
             * @memberof vigil.v1.AgentService
             * @instance
             * @param {vigil.v1.IAgentMessage} request AgentMessage message or plain object
             * @returns {Promise<vigil.v1.ServerMessage>} Promise
             * @variation 2
             */

            return AgentService;
        })();

        v1.EnrollRequest = (function() {

            /**
             * Properties of an EnrollRequest.
             * @memberof vigil.v1
             * @interface IEnrollRequest
             * @property {string|null} [enrollmentToken] EnrollRequest enrollmentToken
             * @property {string|null} [publicKeyPem] EnrollRequest publicKeyPem
             * @property {string|null} [hostname] EnrollRequest hostname
             */

            /**
             * Constructs a new EnrollRequest.
             * @memberof vigil.v1
             * @classdesc Represents an EnrollRequest.
             * @implements IEnrollRequest
             * @constructor
             * @param {vigil.v1.IEnrollRequest=} [properties] Properties to set
             */
            function EnrollRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * EnrollRequest enrollmentToken.
             * @member {string} enrollmentToken
             * @memberof vigil.v1.EnrollRequest
             * @instance
             */
            EnrollRequest.prototype.enrollmentToken = "";

            /**
             * EnrollRequest publicKeyPem.
             * @member {string} publicKeyPem
             * @memberof vigil.v1.EnrollRequest
             * @instance
             */
            EnrollRequest.prototype.publicKeyPem = "";

            /**
             * EnrollRequest hostname.
             * @member {string} hostname
             * @memberof vigil.v1.EnrollRequest
             * @instance
             */
            EnrollRequest.prototype.hostname = "";

            /**
             * Creates a new EnrollRequest instance using the specified properties.
             * @function create
             * @memberof vigil.v1.EnrollRequest
             * @static
             * @param {vigil.v1.IEnrollRequest=} [properties] Properties to set
             * @returns {vigil.v1.EnrollRequest} EnrollRequest instance
             */
            EnrollRequest.create = function create(properties) {
                return new EnrollRequest(properties);
            };

            /**
             * Encodes the specified EnrollRequest message. Does not implicitly {@link vigil.v1.EnrollRequest.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.EnrollRequest
             * @static
             * @param {vigil.v1.IEnrollRequest} message EnrollRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            EnrollRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.enrollmentToken != null && Object.hasOwnProperty.call(message, "enrollmentToken"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.enrollmentToken);
                if (message.publicKeyPem != null && Object.hasOwnProperty.call(message, "publicKeyPem"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.publicKeyPem);
                if (message.hostname != null && Object.hasOwnProperty.call(message, "hostname"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.hostname);
                return writer;
            };

            /**
             * Encodes the specified EnrollRequest message, length delimited. Does not implicitly {@link vigil.v1.EnrollRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.EnrollRequest
             * @static
             * @param {vigil.v1.IEnrollRequest} message EnrollRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            EnrollRequest.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes an EnrollRequest message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.EnrollRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.EnrollRequest} EnrollRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            EnrollRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.EnrollRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.enrollmentToken = reader.string();
                            break;
                        }
                    case 2: {
                            message.publicKeyPem = reader.string();
                            break;
                        }
                    case 3: {
                            message.hostname = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes an EnrollRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.EnrollRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.EnrollRequest} EnrollRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            EnrollRequest.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies an EnrollRequest message.
             * @function verify
             * @memberof vigil.v1.EnrollRequest
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            EnrollRequest.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.enrollmentToken != null && Object.hasOwnProperty.call(message, "enrollmentToken"))
                    if (!$util.isString(message.enrollmentToken))
                        return "enrollmentToken: string expected";
                if (message.publicKeyPem != null && Object.hasOwnProperty.call(message, "publicKeyPem"))
                    if (!$util.isString(message.publicKeyPem))
                        return "publicKeyPem: string expected";
                if (message.hostname != null && Object.hasOwnProperty.call(message, "hostname"))
                    if (!$util.isString(message.hostname))
                        return "hostname: string expected";
                return null;
            };

            /**
             * Creates an EnrollRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.EnrollRequest
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.EnrollRequest} EnrollRequest
             */
            EnrollRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.EnrollRequest)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.EnrollRequest: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.EnrollRequest();
                if (object.enrollmentToken != null)
                    message.enrollmentToken = String(object.enrollmentToken);
                if (object.publicKeyPem != null)
                    message.publicKeyPem = String(object.publicKeyPem);
                if (object.hostname != null)
                    message.hostname = String(object.hostname);
                return message;
            };

            /**
             * Creates a plain object from an EnrollRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.EnrollRequest
             * @static
             * @param {vigil.v1.EnrollRequest} message EnrollRequest
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            EnrollRequest.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.enrollmentToken = "";
                    object.publicKeyPem = "";
                    object.hostname = "";
                }
                if (message.enrollmentToken != null && Object.hasOwnProperty.call(message, "enrollmentToken"))
                    object.enrollmentToken = message.enrollmentToken;
                if (message.publicKeyPem != null && Object.hasOwnProperty.call(message, "publicKeyPem"))
                    object.publicKeyPem = message.publicKeyPem;
                if (message.hostname != null && Object.hasOwnProperty.call(message, "hostname"))
                    object.hostname = message.hostname;
                return object;
            };

            /**
             * Converts this EnrollRequest to JSON.
             * @function toJSON
             * @memberof vigil.v1.EnrollRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            EnrollRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for EnrollRequest
             * @function getTypeUrl
             * @memberof vigil.v1.EnrollRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            EnrollRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.EnrollRequest";
            };

            return EnrollRequest;
        })();

        v1.EnrollResponse = (function() {

            /**
             * Properties of an EnrollResponse.
             * @memberof vigil.v1
             * @interface IEnrollResponse
             * @property {string|null} [agentId] EnrollResponse agentId
             * @property {string|null} [clientCertificatePem] EnrollResponse clientCertificatePem
             * @property {string|null} [caCertificatePem] EnrollResponse caCertificatePem
             */

            /**
             * Constructs a new EnrollResponse.
             * @memberof vigil.v1
             * @classdesc Represents an EnrollResponse.
             * @implements IEnrollResponse
             * @constructor
             * @param {vigil.v1.IEnrollResponse=} [properties] Properties to set
             */
            function EnrollResponse(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * EnrollResponse agentId.
             * @member {string} agentId
             * @memberof vigil.v1.EnrollResponse
             * @instance
             */
            EnrollResponse.prototype.agentId = "";

            /**
             * EnrollResponse clientCertificatePem.
             * @member {string} clientCertificatePem
             * @memberof vigil.v1.EnrollResponse
             * @instance
             */
            EnrollResponse.prototype.clientCertificatePem = "";

            /**
             * EnrollResponse caCertificatePem.
             * @member {string} caCertificatePem
             * @memberof vigil.v1.EnrollResponse
             * @instance
             */
            EnrollResponse.prototype.caCertificatePem = "";

            /**
             * Creates a new EnrollResponse instance using the specified properties.
             * @function create
             * @memberof vigil.v1.EnrollResponse
             * @static
             * @param {vigil.v1.IEnrollResponse=} [properties] Properties to set
             * @returns {vigil.v1.EnrollResponse} EnrollResponse instance
             */
            EnrollResponse.create = function create(properties) {
                return new EnrollResponse(properties);
            };

            /**
             * Encodes the specified EnrollResponse message. Does not implicitly {@link vigil.v1.EnrollResponse.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.EnrollResponse
             * @static
             * @param {vigil.v1.IEnrollResponse} message EnrollResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            EnrollResponse.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.agentId != null && Object.hasOwnProperty.call(message, "agentId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.agentId);
                if (message.clientCertificatePem != null && Object.hasOwnProperty.call(message, "clientCertificatePem"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.clientCertificatePem);
                if (message.caCertificatePem != null && Object.hasOwnProperty.call(message, "caCertificatePem"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.caCertificatePem);
                return writer;
            };

            /**
             * Encodes the specified EnrollResponse message, length delimited. Does not implicitly {@link vigil.v1.EnrollResponse.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.EnrollResponse
             * @static
             * @param {vigil.v1.IEnrollResponse} message EnrollResponse message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            EnrollResponse.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes an EnrollResponse message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.EnrollResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.EnrollResponse} EnrollResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            EnrollResponse.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.EnrollResponse();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.agentId = reader.string();
                            break;
                        }
                    case 2: {
                            message.clientCertificatePem = reader.string();
                            break;
                        }
                    case 3: {
                            message.caCertificatePem = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes an EnrollResponse message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.EnrollResponse
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.EnrollResponse} EnrollResponse
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            EnrollResponse.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies an EnrollResponse message.
             * @function verify
             * @memberof vigil.v1.EnrollResponse
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            EnrollResponse.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.agentId != null && Object.hasOwnProperty.call(message, "agentId"))
                    if (!$util.isString(message.agentId))
                        return "agentId: string expected";
                if (message.clientCertificatePem != null && Object.hasOwnProperty.call(message, "clientCertificatePem"))
                    if (!$util.isString(message.clientCertificatePem))
                        return "clientCertificatePem: string expected";
                if (message.caCertificatePem != null && Object.hasOwnProperty.call(message, "caCertificatePem"))
                    if (!$util.isString(message.caCertificatePem))
                        return "caCertificatePem: string expected";
                return null;
            };

            /**
             * Creates an EnrollResponse message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.EnrollResponse
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.EnrollResponse} EnrollResponse
             */
            EnrollResponse.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.EnrollResponse)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.EnrollResponse: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.EnrollResponse();
                if (object.agentId != null)
                    message.agentId = String(object.agentId);
                if (object.clientCertificatePem != null)
                    message.clientCertificatePem = String(object.clientCertificatePem);
                if (object.caCertificatePem != null)
                    message.caCertificatePem = String(object.caCertificatePem);
                return message;
            };

            /**
             * Creates a plain object from an EnrollResponse message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.EnrollResponse
             * @static
             * @param {vigil.v1.EnrollResponse} message EnrollResponse
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            EnrollResponse.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.agentId = "";
                    object.clientCertificatePem = "";
                    object.caCertificatePem = "";
                }
                if (message.agentId != null && Object.hasOwnProperty.call(message, "agentId"))
                    object.agentId = message.agentId;
                if (message.clientCertificatePem != null && Object.hasOwnProperty.call(message, "clientCertificatePem"))
                    object.clientCertificatePem = message.clientCertificatePem;
                if (message.caCertificatePem != null && Object.hasOwnProperty.call(message, "caCertificatePem"))
                    object.caCertificatePem = message.caCertificatePem;
                return object;
            };

            /**
             * Converts this EnrollResponse to JSON.
             * @function toJSON
             * @memberof vigil.v1.EnrollResponse
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            EnrollResponse.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for EnrollResponse
             * @function getTypeUrl
             * @memberof vigil.v1.EnrollResponse
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            EnrollResponse.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.EnrollResponse";
            };

            return EnrollResponse;
        })();

        v1.AgentMessage = (function() {

            /**
             * Properties of an AgentMessage.
             * @memberof vigil.v1
             * @interface IAgentMessage
             * @property {vigil.v1.IHello|null} [hello] AgentMessage hello
             * @property {vigil.v1.ISnapshotChunk|null} [snapshot] AgentMessage snapshot
             * @property {vigil.v1.IDelta|null} [delta] AgentMessage delta
             * @property {vigil.v1.IHeartbeat|null} [heartbeat] AgentMessage heartbeat
             * @property {vigil.v1.ICommandResult|null} [commandResult] AgentMessage commandResult
             */

            /**
             * Constructs a new AgentMessage.
             * @memberof vigil.v1
             * @classdesc Represents an AgentMessage.
             * @implements IAgentMessage
             * @constructor
             * @param {vigil.v1.IAgentMessage=} [properties] Properties to set
             */
            function AgentMessage(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * AgentMessage hello.
             * @member {vigil.v1.IHello|null|undefined} hello
             * @memberof vigil.v1.AgentMessage
             * @instance
             */
            AgentMessage.prototype.hello = null;

            /**
             * AgentMessage snapshot.
             * @member {vigil.v1.ISnapshotChunk|null|undefined} snapshot
             * @memberof vigil.v1.AgentMessage
             * @instance
             */
            AgentMessage.prototype.snapshot = null;

            /**
             * AgentMessage delta.
             * @member {vigil.v1.IDelta|null|undefined} delta
             * @memberof vigil.v1.AgentMessage
             * @instance
             */
            AgentMessage.prototype.delta = null;

            /**
             * AgentMessage heartbeat.
             * @member {vigil.v1.IHeartbeat|null|undefined} heartbeat
             * @memberof vigil.v1.AgentMessage
             * @instance
             */
            AgentMessage.prototype.heartbeat = null;

            /**
             * AgentMessage commandResult.
             * @member {vigil.v1.ICommandResult|null|undefined} commandResult
             * @memberof vigil.v1.AgentMessage
             * @instance
             */
            AgentMessage.prototype.commandResult = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * AgentMessage kind.
             * @member {"hello"|"snapshot"|"delta"|"heartbeat"|"commandResult"|undefined} kind
             * @memberof vigil.v1.AgentMessage
             * @instance
             */
            Object.defineProperty(AgentMessage.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["hello", "snapshot", "delta", "heartbeat", "commandResult"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new AgentMessage instance using the specified properties.
             * @function create
             * @memberof vigil.v1.AgentMessage
             * @static
             * @param {vigil.v1.IAgentMessage=} [properties] Properties to set
             * @returns {vigil.v1.AgentMessage} AgentMessage instance
             */
            AgentMessage.create = function create(properties) {
                return new AgentMessage(properties);
            };

            /**
             * Encodes the specified AgentMessage message. Does not implicitly {@link vigil.v1.AgentMessage.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.AgentMessage
             * @static
             * @param {vigil.v1.IAgentMessage} message AgentMessage message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AgentMessage.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.hello != null && Object.hasOwnProperty.call(message, "hello"))
                    $root.vigil.v1.Hello.encode(message.hello, writer.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                if (message.snapshot != null && Object.hasOwnProperty.call(message, "snapshot"))
                    $root.vigil.v1.SnapshotChunk.encode(message.snapshot, writer.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                if (message.delta != null && Object.hasOwnProperty.call(message, "delta"))
                    $root.vigil.v1.Delta.encode(message.delta, writer.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                if (message.heartbeat != null && Object.hasOwnProperty.call(message, "heartbeat"))
                    $root.vigil.v1.Heartbeat.encode(message.heartbeat, writer.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                if (message.commandResult != null && Object.hasOwnProperty.call(message, "commandResult"))
                    $root.vigil.v1.CommandResult.encode(message.commandResult, writer.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Encodes the specified AgentMessage message, length delimited. Does not implicitly {@link vigil.v1.AgentMessage.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.AgentMessage
             * @static
             * @param {vigil.v1.IAgentMessage} message AgentMessage message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AgentMessage.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes an AgentMessage message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.AgentMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.AgentMessage} AgentMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AgentMessage.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.AgentMessage();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.hello = $root.vigil.v1.Hello.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.snapshot = $root.vigil.v1.SnapshotChunk.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 3: {
                            message.delta = $root.vigil.v1.Delta.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 4: {
                            message.heartbeat = $root.vigil.v1.Heartbeat.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 5: {
                            message.commandResult = $root.vigil.v1.CommandResult.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes an AgentMessage message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.AgentMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.AgentMessage} AgentMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AgentMessage.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies an AgentMessage message.
             * @function verify
             * @memberof vigil.v1.AgentMessage
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            AgentMessage.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                let properties = {};
                if (message.hello != null && Object.hasOwnProperty.call(message, "hello")) {
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.Hello.verify(message.hello, long + 1);
                        if (error)
                            return "hello." + error;
                    }
                }
                if (message.snapshot != null && Object.hasOwnProperty.call(message, "snapshot")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.SnapshotChunk.verify(message.snapshot, long + 1);
                        if (error)
                            return "snapshot." + error;
                    }
                }
                if (message.delta != null && Object.hasOwnProperty.call(message, "delta")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.Delta.verify(message.delta, long + 1);
                        if (error)
                            return "delta." + error;
                    }
                }
                if (message.heartbeat != null && Object.hasOwnProperty.call(message, "heartbeat")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.Heartbeat.verify(message.heartbeat, long + 1);
                        if (error)
                            return "heartbeat." + error;
                    }
                }
                if (message.commandResult != null && Object.hasOwnProperty.call(message, "commandResult")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.CommandResult.verify(message.commandResult, long + 1);
                        if (error)
                            return "commandResult." + error;
                    }
                }
                return null;
            };

            /**
             * Creates an AgentMessage message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.AgentMessage
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.AgentMessage} AgentMessage
             */
            AgentMessage.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.AgentMessage)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.AgentMessage: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.AgentMessage();
                if (object.hello != null) {
                    if (!$util.isObject(object.hello))
                        throw TypeError(".vigil.v1.AgentMessage.hello: object expected");
                    message.hello = $root.vigil.v1.Hello.fromObject(object.hello, long + 1);
                }
                if (object.snapshot != null) {
                    if (!$util.isObject(object.snapshot))
                        throw TypeError(".vigil.v1.AgentMessage.snapshot: object expected");
                    message.snapshot = $root.vigil.v1.SnapshotChunk.fromObject(object.snapshot, long + 1);
                }
                if (object.delta != null) {
                    if (!$util.isObject(object.delta))
                        throw TypeError(".vigil.v1.AgentMessage.delta: object expected");
                    message.delta = $root.vigil.v1.Delta.fromObject(object.delta, long + 1);
                }
                if (object.heartbeat != null) {
                    if (!$util.isObject(object.heartbeat))
                        throw TypeError(".vigil.v1.AgentMessage.heartbeat: object expected");
                    message.heartbeat = $root.vigil.v1.Heartbeat.fromObject(object.heartbeat, long + 1);
                }
                if (object.commandResult != null) {
                    if (!$util.isObject(object.commandResult))
                        throw TypeError(".vigil.v1.AgentMessage.commandResult: object expected");
                    message.commandResult = $root.vigil.v1.CommandResult.fromObject(object.commandResult, long + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from an AgentMessage message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.AgentMessage
             * @static
             * @param {vigil.v1.AgentMessage} message AgentMessage
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            AgentMessage.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (message.hello != null && Object.hasOwnProperty.call(message, "hello")) {
                    object.hello = $root.vigil.v1.Hello.toObject(message.hello, options, q + 1);
                    if (options.oneofs)
                        object.kind = "hello";
                }
                if (message.snapshot != null && Object.hasOwnProperty.call(message, "snapshot")) {
                    object.snapshot = $root.vigil.v1.SnapshotChunk.toObject(message.snapshot, options, q + 1);
                    if (options.oneofs)
                        object.kind = "snapshot";
                }
                if (message.delta != null && Object.hasOwnProperty.call(message, "delta")) {
                    object.delta = $root.vigil.v1.Delta.toObject(message.delta, options, q + 1);
                    if (options.oneofs)
                        object.kind = "delta";
                }
                if (message.heartbeat != null && Object.hasOwnProperty.call(message, "heartbeat")) {
                    object.heartbeat = $root.vigil.v1.Heartbeat.toObject(message.heartbeat, options, q + 1);
                    if (options.oneofs)
                        object.kind = "heartbeat";
                }
                if (message.commandResult != null && Object.hasOwnProperty.call(message, "commandResult")) {
                    object.commandResult = $root.vigil.v1.CommandResult.toObject(message.commandResult, options, q + 1);
                    if (options.oneofs)
                        object.kind = "commandResult";
                }
                return object;
            };

            /**
             * Converts this AgentMessage to JSON.
             * @function toJSON
             * @memberof vigil.v1.AgentMessage
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            AgentMessage.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for AgentMessage
             * @function getTypeUrl
             * @memberof vigil.v1.AgentMessage
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            AgentMessage.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.AgentMessage";
            };

            return AgentMessage;
        })();

        v1.Hello = (function() {

            /**
             * Properties of a Hello.
             * @memberof vigil.v1
             * @interface IHello
             * @property {string|null} [agentVersion] Hello agentVersion
             * @property {number|Long|null} [agentEpoch] Hello agentEpoch
             * @property {number|Long|null} [lastAckedSeq] Hello lastAckedSeq
             * @property {Array.<string>|null} [capabilities] Hello capabilities
             * @property {Array.<string>|null} [tags] Hello tags
             */

            /**
             * Constructs a new Hello.
             * @memberof vigil.v1
             * @classdesc Represents a Hello.
             * @implements IHello
             * @constructor
             * @param {vigil.v1.IHello=} [properties] Properties to set
             */
            function Hello(properties) {
                this.capabilities = [];
                this.tags = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Hello agentVersion.
             * @member {string} agentVersion
             * @memberof vigil.v1.Hello
             * @instance
             */
            Hello.prototype.agentVersion = "";

            /**
             * Hello agentEpoch.
             * @member {number|Long} agentEpoch
             * @memberof vigil.v1.Hello
             * @instance
             */
            Hello.prototype.agentEpoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello lastAckedSeq.
             * @member {number|Long} lastAckedSeq
             * @memberof vigil.v1.Hello
             * @instance
             */
            Hello.prototype.lastAckedSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Hello capabilities.
             * @member {Array.<string>} capabilities
             * @memberof vigil.v1.Hello
             * @instance
             */
            Hello.prototype.capabilities = $util.emptyArray;

            /**
             * Hello tags.
             * @member {Array.<string>} tags
             * @memberof vigil.v1.Hello
             * @instance
             */
            Hello.prototype.tags = $util.emptyArray;

            /**
             * Creates a new Hello instance using the specified properties.
             * @function create
             * @memberof vigil.v1.Hello
             * @static
             * @param {vigil.v1.IHello=} [properties] Properties to set
             * @returns {vigil.v1.Hello} Hello instance
             */
            Hello.create = function create(properties) {
                return new Hello(properties);
            };

            /**
             * Encodes the specified Hello message. Does not implicitly {@link vigil.v1.Hello.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.Hello
             * @static
             * @param {vigil.v1.IHello} message Hello message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Hello.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.agentVersion != null && Object.hasOwnProperty.call(message, "agentVersion"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.agentVersion);
                if (message.agentEpoch != null && Object.hasOwnProperty.call(message, "agentEpoch"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.agentEpoch);
                if (message.lastAckedSeq != null && Object.hasOwnProperty.call(message, "lastAckedSeq"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.lastAckedSeq);
                if (message.capabilities != null && message.capabilities.length)
                    for (let i = 0; i < message.capabilities.length; ++i)
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.capabilities[i]);
                if (message.tags != null && message.tags.length)
                    for (let i = 0; i < message.tags.length; ++i)
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.tags[i]);
                return writer;
            };

            /**
             * Encodes the specified Hello message, length delimited. Does not implicitly {@link vigil.v1.Hello.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.Hello
             * @static
             * @param {vigil.v1.IHello} message Hello message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Hello.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a Hello message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.Hello
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.Hello} Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Hello.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Hello();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.agentVersion = reader.string();
                            break;
                        }
                    case 2: {
                            message.agentEpoch = reader.uint64();
                            break;
                        }
                    case 3: {
                            message.lastAckedSeq = reader.uint64();
                            break;
                        }
                    case 4: {
                            if (!(message.capabilities && message.capabilities.length))
                                message.capabilities = [];
                            message.capabilities.push(reader.string());
                            break;
                        }
                    case 6: {
                            if (!(message.tags && message.tags.length))
                                message.tags = [];
                            message.tags.push(reader.string());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a Hello message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.Hello
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.Hello} Hello
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Hello.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a Hello message.
             * @function verify
             * @memberof vigil.v1.Hello
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Hello.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.agentVersion != null && Object.hasOwnProperty.call(message, "agentVersion"))
                    if (!$util.isString(message.agentVersion))
                        return "agentVersion: string expected";
                if (message.agentEpoch != null && Object.hasOwnProperty.call(message, "agentEpoch"))
                    if (!$util.isInteger(message.agentEpoch) && !(message.agentEpoch && $util.isInteger(message.agentEpoch.low) && $util.isInteger(message.agentEpoch.high)))
                        return "agentEpoch: integer|Long expected";
                if (message.lastAckedSeq != null && Object.hasOwnProperty.call(message, "lastAckedSeq"))
                    if (!$util.isInteger(message.lastAckedSeq) && !(message.lastAckedSeq && $util.isInteger(message.lastAckedSeq.low) && $util.isInteger(message.lastAckedSeq.high)))
                        return "lastAckedSeq: integer|Long expected";
                if (message.capabilities != null && Object.hasOwnProperty.call(message, "capabilities")) {
                    if (!Array.isArray(message.capabilities))
                        return "capabilities: array expected";
                    for (let i = 0; i < message.capabilities.length; ++i)
                        if (!$util.isString(message.capabilities[i]))
                            return "capabilities: string[] expected";
                }
                if (message.tags != null && Object.hasOwnProperty.call(message, "tags")) {
                    if (!Array.isArray(message.tags))
                        return "tags: array expected";
                    for (let i = 0; i < message.tags.length; ++i)
                        if (!$util.isString(message.tags[i]))
                            return "tags: string[] expected";
                }
                return null;
            };

            /**
             * Creates a Hello message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.Hello
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.Hello} Hello
             */
            Hello.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.Hello)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.Hello: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.Hello();
                if (object.agentVersion != null)
                    message.agentVersion = String(object.agentVersion);
                if (object.agentEpoch != null)
                    if ($util.Long)
                        message.agentEpoch = $util.Long.fromValue(object.agentEpoch, true);
                    else if (typeof object.agentEpoch === "string")
                        message.agentEpoch = parseInt(object.agentEpoch, 10);
                    else if (typeof object.agentEpoch === "number")
                        message.agentEpoch = object.agentEpoch;
                    else if (typeof object.agentEpoch === "object")
                        message.agentEpoch = new $util.LongBits(object.agentEpoch.low >>> 0, object.agentEpoch.high >>> 0).toNumber(true);
                if (object.lastAckedSeq != null)
                    if ($util.Long)
                        message.lastAckedSeq = $util.Long.fromValue(object.lastAckedSeq, true);
                    else if (typeof object.lastAckedSeq === "string")
                        message.lastAckedSeq = parseInt(object.lastAckedSeq, 10);
                    else if (typeof object.lastAckedSeq === "number")
                        message.lastAckedSeq = object.lastAckedSeq;
                    else if (typeof object.lastAckedSeq === "object")
                        message.lastAckedSeq = new $util.LongBits(object.lastAckedSeq.low >>> 0, object.lastAckedSeq.high >>> 0).toNumber(true);
                if (object.capabilities) {
                    if (!Array.isArray(object.capabilities))
                        throw TypeError(".vigil.v1.Hello.capabilities: array expected");
                    message.capabilities = [];
                    for (let i = 0; i < object.capabilities.length; ++i)
                        message.capabilities[i] = String(object.capabilities[i]);
                }
                if (object.tags) {
                    if (!Array.isArray(object.tags))
                        throw TypeError(".vigil.v1.Hello.tags: array expected");
                    message.tags = [];
                    for (let i = 0; i < object.tags.length; ++i)
                        message.tags[i] = String(object.tags[i]);
                }
                return message;
            };

            /**
             * Creates a plain object from a Hello message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.Hello
             * @static
             * @param {vigil.v1.Hello} message Hello
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Hello.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.capabilities = [];
                    object.tags = [];
                }
                if (options.defaults) {
                    object.agentVersion = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.agentEpoch = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.agentEpoch = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.lastAckedSeq = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.lastAckedSeq = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                }
                if (message.agentVersion != null && Object.hasOwnProperty.call(message, "agentVersion"))
                    object.agentVersion = message.agentVersion;
                if (message.agentEpoch != null && Object.hasOwnProperty.call(message, "agentEpoch"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.agentEpoch = typeof message.agentEpoch === "number" ? BigInt(message.agentEpoch) : $util.Long.fromBits(message.agentEpoch.low >>> 0, message.agentEpoch.high >>> 0, true).toBigInt();
                    else if (typeof message.agentEpoch === "number")
                        object.agentEpoch = options.longs === String ? String(message.agentEpoch) : message.agentEpoch;
                    else
                        object.agentEpoch = options.longs === String ? $util.Long.prototype.toString.call(message.agentEpoch) : options.longs === Number ? new $util.LongBits(message.agentEpoch.low >>> 0, message.agentEpoch.high >>> 0).toNumber(true) : message.agentEpoch;
                if (message.lastAckedSeq != null && Object.hasOwnProperty.call(message, "lastAckedSeq"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.lastAckedSeq = typeof message.lastAckedSeq === "number" ? BigInt(message.lastAckedSeq) : $util.Long.fromBits(message.lastAckedSeq.low >>> 0, message.lastAckedSeq.high >>> 0, true).toBigInt();
                    else if (typeof message.lastAckedSeq === "number")
                        object.lastAckedSeq = options.longs === String ? String(message.lastAckedSeq) : message.lastAckedSeq;
                    else
                        object.lastAckedSeq = options.longs === String ? $util.Long.prototype.toString.call(message.lastAckedSeq) : options.longs === Number ? new $util.LongBits(message.lastAckedSeq.low >>> 0, message.lastAckedSeq.high >>> 0).toNumber(true) : message.lastAckedSeq;
                if (message.capabilities && message.capabilities.length) {
                    object.capabilities = [];
                    for (let j = 0; j < message.capabilities.length; ++j)
                        object.capabilities[j] = message.capabilities[j];
                }
                if (message.tags && message.tags.length) {
                    object.tags = [];
                    for (let j = 0; j < message.tags.length; ++j)
                        object.tags[j] = message.tags[j];
                }
                return object;
            };

            /**
             * Converts this Hello to JSON.
             * @function toJSON
             * @memberof vigil.v1.Hello
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Hello.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Hello
             * @function getTypeUrl
             * @memberof vigil.v1.Hello
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Hello.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.Hello";
            };

            return Hello;
        })();

        v1.SnapshotChunk = (function() {

            /**
             * Properties of a SnapshotChunk.
             * @memberof vigil.v1
             * @interface ISnapshotChunk
             * @property {number|Long|null} [epoch] SnapshotChunk epoch
             * @property {number|Long|null} [seq] SnapshotChunk seq
             * @property {number|null} [chunkIndex] SnapshotChunk chunkIndex
             * @property {number|null} [chunkCount] SnapshotChunk chunkCount
             * @property {Array.<vigil.v1.IComponent>|null} [components] SnapshotChunk components
             * @property {Uint8Array|null} [digest] SnapshotChunk digest
             * @property {vigil.v1.IPortSet|null} [ports] SnapshotChunk ports
             * @property {vigil.v1.IHostFacts|null} [facts] SnapshotChunk facts
             * @property {vigil.v1.IOsInfo|null} [os] SnapshotChunk os
             * @property {vigil.v1.IKernelInfo|null} [kernel] SnapshotChunk kernel
             */

            /**
             * Constructs a new SnapshotChunk.
             * @memberof vigil.v1
             * @classdesc Represents a SnapshotChunk.
             * @implements ISnapshotChunk
             * @constructor
             * @param {vigil.v1.ISnapshotChunk=} [properties] Properties to set
             */
            function SnapshotChunk(properties) {
                this.components = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * SnapshotChunk epoch.
             * @member {number|Long} epoch
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SnapshotChunk seq.
             * @member {number|Long} seq
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SnapshotChunk chunkIndex.
             * @member {number} chunkIndex
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.chunkIndex = 0;

            /**
             * SnapshotChunk chunkCount.
             * @member {number} chunkCount
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.chunkCount = 0;

            /**
             * SnapshotChunk components.
             * @member {Array.<vigil.v1.IComponent>} components
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.components = $util.emptyArray;

            /**
             * SnapshotChunk digest.
             * @member {Uint8Array} digest
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.digest = $util.newBuffer([]);

            /**
             * SnapshotChunk ports.
             * @member {vigil.v1.IPortSet|null|undefined} ports
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.ports = null;

            /**
             * SnapshotChunk facts.
             * @member {vigil.v1.IHostFacts|null|undefined} facts
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.facts = null;

            /**
             * SnapshotChunk os.
             * @member {vigil.v1.IOsInfo|null|undefined} os
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.os = null;

            /**
             * SnapshotChunk kernel.
             * @member {vigil.v1.IKernelInfo|null|undefined} kernel
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             */
            SnapshotChunk.prototype.kernel = null;

            /**
             * Creates a new SnapshotChunk instance using the specified properties.
             * @function create
             * @memberof vigil.v1.SnapshotChunk
             * @static
             * @param {vigil.v1.ISnapshotChunk=} [properties] Properties to set
             * @returns {vigil.v1.SnapshotChunk} SnapshotChunk instance
             */
            SnapshotChunk.create = function create(properties) {
                return new SnapshotChunk(properties);
            };

            /**
             * Encodes the specified SnapshotChunk message. Does not implicitly {@link vigil.v1.SnapshotChunk.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.SnapshotChunk
             * @static
             * @param {vigil.v1.ISnapshotChunk} message SnapshotChunk message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SnapshotChunk.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.epoch);
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.seq);
                if (message.chunkIndex != null && Object.hasOwnProperty.call(message, "chunkIndex"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.chunkIndex);
                if (message.chunkCount != null && Object.hasOwnProperty.call(message, "chunkCount"))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.chunkCount);
                if (message.components != null && message.components.length)
                    for (let i = 0; i < message.components.length; ++i)
                        $root.vigil.v1.Component.encode(message.components[i], writer.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                if (message.digest != null && Object.hasOwnProperty.call(message, "digest"))
                    writer.uint32(/* id 6, wireType 2 =*/50).bytes(message.digest);
                if (message.ports != null && Object.hasOwnProperty.call(message, "ports"))
                    $root.vigil.v1.PortSet.encode(message.ports, writer.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                if (message.facts != null && Object.hasOwnProperty.call(message, "facts"))
                    $root.vigil.v1.HostFacts.encode(message.facts, writer.uint32(/* id 8, wireType 2 =*/66).fork(), q + 1).ldelim();
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    $root.vigil.v1.OsInfo.encode(message.os, writer.uint32(/* id 9, wireType 2 =*/74).fork(), q + 1).ldelim();
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel"))
                    $root.vigil.v1.KernelInfo.encode(message.kernel, writer.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Encodes the specified SnapshotChunk message, length delimited. Does not implicitly {@link vigil.v1.SnapshotChunk.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.SnapshotChunk
             * @static
             * @param {vigil.v1.ISnapshotChunk} message SnapshotChunk message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SnapshotChunk.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a SnapshotChunk message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.SnapshotChunk
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.SnapshotChunk} SnapshotChunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SnapshotChunk.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.SnapshotChunk();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.epoch = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.seq = reader.uint64();
                            break;
                        }
                    case 3: {
                            message.chunkIndex = reader.uint32();
                            break;
                        }
                    case 4: {
                            message.chunkCount = reader.uint32();
                            break;
                        }
                    case 5: {
                            if (!(message.components && message.components.length))
                                message.components = [];
                            message.components.push($root.vigil.v1.Component.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 6: {
                            message.digest = reader.bytes();
                            break;
                        }
                    case 7: {
                            message.ports = $root.vigil.v1.PortSet.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 8: {
                            message.facts = $root.vigil.v1.HostFacts.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 9: {
                            message.os = $root.vigil.v1.OsInfo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 10: {
                            message.kernel = $root.vigil.v1.KernelInfo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a SnapshotChunk message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.SnapshotChunk
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.SnapshotChunk} SnapshotChunk
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SnapshotChunk.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a SnapshotChunk message.
             * @function verify
             * @memberof vigil.v1.SnapshotChunk
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SnapshotChunk.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    if (!$util.isInteger(message.epoch) && !(message.epoch && $util.isInteger(message.epoch.low) && $util.isInteger(message.epoch.high)))
                        return "epoch: integer|Long expected";
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (!$util.isInteger(message.seq) && !(message.seq && $util.isInteger(message.seq.low) && $util.isInteger(message.seq.high)))
                        return "seq: integer|Long expected";
                if (message.chunkIndex != null && Object.hasOwnProperty.call(message, "chunkIndex"))
                    if (!$util.isInteger(message.chunkIndex))
                        return "chunkIndex: integer expected";
                if (message.chunkCount != null && Object.hasOwnProperty.call(message, "chunkCount"))
                    if (!$util.isInteger(message.chunkCount))
                        return "chunkCount: integer expected";
                if (message.components != null && Object.hasOwnProperty.call(message, "components")) {
                    if (!Array.isArray(message.components))
                        return "components: array expected";
                    for (let i = 0; i < message.components.length; ++i) {
                        let error = $root.vigil.v1.Component.verify(message.components[i], long + 1);
                        if (error)
                            return "components." + error;
                    }
                }
                if (message.digest != null && Object.hasOwnProperty.call(message, "digest"))
                    if (!(message.digest && typeof message.digest.length === "number" || $util.isString(message.digest)))
                        return "digest: buffer expected";
                if (message.ports != null && Object.hasOwnProperty.call(message, "ports")) {
                    let error = $root.vigil.v1.PortSet.verify(message.ports, long + 1);
                    if (error)
                        return "ports." + error;
                }
                if (message.facts != null && Object.hasOwnProperty.call(message, "facts")) {
                    let error = $root.vigil.v1.HostFacts.verify(message.facts, long + 1);
                    if (error)
                        return "facts." + error;
                }
                if (message.os != null && Object.hasOwnProperty.call(message, "os")) {
                    let error = $root.vigil.v1.OsInfo.verify(message.os, long + 1);
                    if (error)
                        return "os." + error;
                }
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel")) {
                    let error = $root.vigil.v1.KernelInfo.verify(message.kernel, long + 1);
                    if (error)
                        return "kernel." + error;
                }
                return null;
            };

            /**
             * Creates a SnapshotChunk message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.SnapshotChunk
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.SnapshotChunk} SnapshotChunk
             */
            SnapshotChunk.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.SnapshotChunk)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.SnapshotChunk: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.SnapshotChunk();
                if (object.epoch != null)
                    if ($util.Long)
                        message.epoch = $util.Long.fromValue(object.epoch, true);
                    else if (typeof object.epoch === "string")
                        message.epoch = parseInt(object.epoch, 10);
                    else if (typeof object.epoch === "number")
                        message.epoch = object.epoch;
                    else if (typeof object.epoch === "object")
                        message.epoch = new $util.LongBits(object.epoch.low >>> 0, object.epoch.high >>> 0).toNumber(true);
                if (object.seq != null)
                    if ($util.Long)
                        message.seq = $util.Long.fromValue(object.seq, true);
                    else if (typeof object.seq === "string")
                        message.seq = parseInt(object.seq, 10);
                    else if (typeof object.seq === "number")
                        message.seq = object.seq;
                    else if (typeof object.seq === "object")
                        message.seq = new $util.LongBits(object.seq.low >>> 0, object.seq.high >>> 0).toNumber(true);
                if (object.chunkIndex != null)
                    message.chunkIndex = object.chunkIndex >>> 0;
                if (object.chunkCount != null)
                    message.chunkCount = object.chunkCount >>> 0;
                if (object.components) {
                    if (!Array.isArray(object.components))
                        throw TypeError(".vigil.v1.SnapshotChunk.components: array expected");
                    message.components = [];
                    for (let i = 0; i < object.components.length; ++i) {
                        if (!$util.isObject(object.components[i]))
                            throw TypeError(".vigil.v1.SnapshotChunk.components: object expected");
                        message.components[i] = $root.vigil.v1.Component.fromObject(object.components[i], long + 1);
                    }
                }
                if (object.digest != null)
                    if (typeof object.digest === "string")
                        $util.base64.decode(object.digest, message.digest = $util.newBuffer($util.base64.length(object.digest)), 0);
                    else if (object.digest.length >= 0)
                        message.digest = object.digest;
                if (object.ports != null) {
                    if (!$util.isObject(object.ports))
                        throw TypeError(".vigil.v1.SnapshotChunk.ports: object expected");
                    message.ports = $root.vigil.v1.PortSet.fromObject(object.ports, long + 1);
                }
                if (object.facts != null) {
                    if (!$util.isObject(object.facts))
                        throw TypeError(".vigil.v1.SnapshotChunk.facts: object expected");
                    message.facts = $root.vigil.v1.HostFacts.fromObject(object.facts, long + 1);
                }
                if (object.os != null) {
                    if (!$util.isObject(object.os))
                        throw TypeError(".vigil.v1.SnapshotChunk.os: object expected");
                    message.os = $root.vigil.v1.OsInfo.fromObject(object.os, long + 1);
                }
                if (object.kernel != null) {
                    if (!$util.isObject(object.kernel))
                        throw TypeError(".vigil.v1.SnapshotChunk.kernel: object expected");
                    message.kernel = $root.vigil.v1.KernelInfo.fromObject(object.kernel, long + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a SnapshotChunk message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.SnapshotChunk
             * @static
             * @param {vigil.v1.SnapshotChunk} message SnapshotChunk
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SnapshotChunk.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.components = [];
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.epoch = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.epoch = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.seq = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.seq = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    object.chunkIndex = 0;
                    object.chunkCount = 0;
                    if (options.bytes === String)
                        object.digest = "";
                    else {
                        object.digest = [];
                        if (options.bytes !== Array)
                            object.digest = $util.newBuffer(object.digest);
                    }
                    object.ports = null;
                    object.facts = null;
                    object.os = null;
                    object.kernel = null;
                }
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.epoch = typeof message.epoch === "number" ? BigInt(message.epoch) : $util.Long.fromBits(message.epoch.low >>> 0, message.epoch.high >>> 0, true).toBigInt();
                    else if (typeof message.epoch === "number")
                        object.epoch = options.longs === String ? String(message.epoch) : message.epoch;
                    else
                        object.epoch = options.longs === String ? $util.Long.prototype.toString.call(message.epoch) : options.longs === Number ? new $util.LongBits(message.epoch.low >>> 0, message.epoch.high >>> 0).toNumber(true) : message.epoch;
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.seq = typeof message.seq === "number" ? BigInt(message.seq) : $util.Long.fromBits(message.seq.low >>> 0, message.seq.high >>> 0, true).toBigInt();
                    else if (typeof message.seq === "number")
                        object.seq = options.longs === String ? String(message.seq) : message.seq;
                    else
                        object.seq = options.longs === String ? $util.Long.prototype.toString.call(message.seq) : options.longs === Number ? new $util.LongBits(message.seq.low >>> 0, message.seq.high >>> 0).toNumber(true) : message.seq;
                if (message.chunkIndex != null && Object.hasOwnProperty.call(message, "chunkIndex"))
                    object.chunkIndex = message.chunkIndex;
                if (message.chunkCount != null && Object.hasOwnProperty.call(message, "chunkCount"))
                    object.chunkCount = message.chunkCount;
                if (message.components && message.components.length) {
                    object.components = [];
                    for (let j = 0; j < message.components.length; ++j)
                        object.components[j] = $root.vigil.v1.Component.toObject(message.components[j], options, q + 1);
                }
                if (message.digest != null && Object.hasOwnProperty.call(message, "digest"))
                    object.digest = options.bytes === String ? $util.base64.encode(message.digest, 0, message.digest.length) : options.bytes === Array ? Array.prototype.slice.call(message.digest) : message.digest;
                if (message.ports != null && Object.hasOwnProperty.call(message, "ports"))
                    object.ports = $root.vigil.v1.PortSet.toObject(message.ports, options, q + 1);
                if (message.facts != null && Object.hasOwnProperty.call(message, "facts"))
                    object.facts = $root.vigil.v1.HostFacts.toObject(message.facts, options, q + 1);
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    object.os = $root.vigil.v1.OsInfo.toObject(message.os, options, q + 1);
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel"))
                    object.kernel = $root.vigil.v1.KernelInfo.toObject(message.kernel, options, q + 1);
                return object;
            };

            /**
             * Converts this SnapshotChunk to JSON.
             * @function toJSON
             * @memberof vigil.v1.SnapshotChunk
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SnapshotChunk.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for SnapshotChunk
             * @function getTypeUrl
             * @memberof vigil.v1.SnapshotChunk
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            SnapshotChunk.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.SnapshotChunk";
            };

            return SnapshotChunk;
        })();

        v1.Delta = (function() {

            /**
             * Properties of a Delta.
             * @memberof vigil.v1
             * @interface IDelta
             * @property {number|Long|null} [epoch] Delta epoch
             * @property {number|Long|null} [baseSeq] Delta baseSeq
             * @property {number|Long|null} [seq] Delta seq
             * @property {Array.<vigil.v1.IComponent>|null} [added] Delta added
             * @property {Array.<string>|null} [removedKeys] Delta removedKeys
             * @property {vigil.v1.IPortSet|null} [ports] Delta ports
             * @property {vigil.v1.IHostFacts|null} [facts] Delta facts
             * @property {Uint8Array|null} [digestAfter] Delta digestAfter
             * @property {vigil.v1.IOsInfo|null} [os] Delta os
             * @property {vigil.v1.IKernelInfo|null} [kernel] Delta kernel
             */

            /**
             * Constructs a new Delta.
             * @memberof vigil.v1
             * @classdesc Represents a Delta.
             * @implements IDelta
             * @constructor
             * @param {vigil.v1.IDelta=} [properties] Properties to set
             */
            function Delta(properties) {
                this.added = [];
                this.removedKeys = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Delta epoch.
             * @member {number|Long} epoch
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Delta baseSeq.
             * @member {number|Long} baseSeq
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.baseSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Delta seq.
             * @member {number|Long} seq
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Delta added.
             * @member {Array.<vigil.v1.IComponent>} added
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.added = $util.emptyArray;

            /**
             * Delta removedKeys.
             * @member {Array.<string>} removedKeys
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.removedKeys = $util.emptyArray;

            /**
             * Delta ports.
             * @member {vigil.v1.IPortSet|null|undefined} ports
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.ports = null;

            /**
             * Delta facts.
             * @member {vigil.v1.IHostFacts|null|undefined} facts
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.facts = null;

            /**
             * Delta digestAfter.
             * @member {Uint8Array} digestAfter
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.digestAfter = $util.newBuffer([]);

            /**
             * Delta os.
             * @member {vigil.v1.IOsInfo|null|undefined} os
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.os = null;

            /**
             * Delta kernel.
             * @member {vigil.v1.IKernelInfo|null|undefined} kernel
             * @memberof vigil.v1.Delta
             * @instance
             */
            Delta.prototype.kernel = null;

            /**
             * Creates a new Delta instance using the specified properties.
             * @function create
             * @memberof vigil.v1.Delta
             * @static
             * @param {vigil.v1.IDelta=} [properties] Properties to set
             * @returns {vigil.v1.Delta} Delta instance
             */
            Delta.create = function create(properties) {
                return new Delta(properties);
            };

            /**
             * Encodes the specified Delta message. Does not implicitly {@link vigil.v1.Delta.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.Delta
             * @static
             * @param {vigil.v1.IDelta} message Delta message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Delta.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.epoch);
                if (message.baseSeq != null && Object.hasOwnProperty.call(message, "baseSeq"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.baseSeq);
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.seq);
                if (message.added != null && message.added.length)
                    for (let i = 0; i < message.added.length; ++i)
                        $root.vigil.v1.Component.encode(message.added[i], writer.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                if (message.removedKeys != null && message.removedKeys.length)
                    for (let i = 0; i < message.removedKeys.length; ++i)
                        writer.uint32(/* id 5, wireType 2 =*/42).string(message.removedKeys[i]);
                if (message.ports != null && Object.hasOwnProperty.call(message, "ports"))
                    $root.vigil.v1.PortSet.encode(message.ports, writer.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
                if (message.facts != null && Object.hasOwnProperty.call(message, "facts"))
                    $root.vigil.v1.HostFacts.encode(message.facts, writer.uint32(/* id 7, wireType 2 =*/58).fork(), q + 1).ldelim();
                if (message.digestAfter != null && Object.hasOwnProperty.call(message, "digestAfter"))
                    writer.uint32(/* id 8, wireType 2 =*/66).bytes(message.digestAfter);
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    $root.vigil.v1.OsInfo.encode(message.os, writer.uint32(/* id 9, wireType 2 =*/74).fork(), q + 1).ldelim();
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel"))
                    $root.vigil.v1.KernelInfo.encode(message.kernel, writer.uint32(/* id 10, wireType 2 =*/82).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Encodes the specified Delta message, length delimited. Does not implicitly {@link vigil.v1.Delta.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.Delta
             * @static
             * @param {vigil.v1.IDelta} message Delta message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Delta.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a Delta message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.Delta
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.Delta} Delta
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Delta.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Delta();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.epoch = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.baseSeq = reader.uint64();
                            break;
                        }
                    case 3: {
                            message.seq = reader.uint64();
                            break;
                        }
                    case 4: {
                            if (!(message.added && message.added.length))
                                message.added = [];
                            message.added.push($root.vigil.v1.Component.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    case 5: {
                            if (!(message.removedKeys && message.removedKeys.length))
                                message.removedKeys = [];
                            message.removedKeys.push(reader.string());
                            break;
                        }
                    case 6: {
                            message.ports = $root.vigil.v1.PortSet.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 7: {
                            message.facts = $root.vigil.v1.HostFacts.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 8: {
                            message.digestAfter = reader.bytes();
                            break;
                        }
                    case 9: {
                            message.os = $root.vigil.v1.OsInfo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 10: {
                            message.kernel = $root.vigil.v1.KernelInfo.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a Delta message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.Delta
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.Delta} Delta
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Delta.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a Delta message.
             * @function verify
             * @memberof vigil.v1.Delta
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Delta.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    if (!$util.isInteger(message.epoch) && !(message.epoch && $util.isInteger(message.epoch.low) && $util.isInteger(message.epoch.high)))
                        return "epoch: integer|Long expected";
                if (message.baseSeq != null && Object.hasOwnProperty.call(message, "baseSeq"))
                    if (!$util.isInteger(message.baseSeq) && !(message.baseSeq && $util.isInteger(message.baseSeq.low) && $util.isInteger(message.baseSeq.high)))
                        return "baseSeq: integer|Long expected";
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (!$util.isInteger(message.seq) && !(message.seq && $util.isInteger(message.seq.low) && $util.isInteger(message.seq.high)))
                        return "seq: integer|Long expected";
                if (message.added != null && Object.hasOwnProperty.call(message, "added")) {
                    if (!Array.isArray(message.added))
                        return "added: array expected";
                    for (let i = 0; i < message.added.length; ++i) {
                        let error = $root.vigil.v1.Component.verify(message.added[i], long + 1);
                        if (error)
                            return "added." + error;
                    }
                }
                if (message.removedKeys != null && Object.hasOwnProperty.call(message, "removedKeys")) {
                    if (!Array.isArray(message.removedKeys))
                        return "removedKeys: array expected";
                    for (let i = 0; i < message.removedKeys.length; ++i)
                        if (!$util.isString(message.removedKeys[i]))
                            return "removedKeys: string[] expected";
                }
                if (message.ports != null && Object.hasOwnProperty.call(message, "ports")) {
                    let error = $root.vigil.v1.PortSet.verify(message.ports, long + 1);
                    if (error)
                        return "ports." + error;
                }
                if (message.facts != null && Object.hasOwnProperty.call(message, "facts")) {
                    let error = $root.vigil.v1.HostFacts.verify(message.facts, long + 1);
                    if (error)
                        return "facts." + error;
                }
                if (message.digestAfter != null && Object.hasOwnProperty.call(message, "digestAfter"))
                    if (!(message.digestAfter && typeof message.digestAfter.length === "number" || $util.isString(message.digestAfter)))
                        return "digestAfter: buffer expected";
                if (message.os != null && Object.hasOwnProperty.call(message, "os")) {
                    let error = $root.vigil.v1.OsInfo.verify(message.os, long + 1);
                    if (error)
                        return "os." + error;
                }
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel")) {
                    let error = $root.vigil.v1.KernelInfo.verify(message.kernel, long + 1);
                    if (error)
                        return "kernel." + error;
                }
                return null;
            };

            /**
             * Creates a Delta message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.Delta
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.Delta} Delta
             */
            Delta.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.Delta)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.Delta: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.Delta();
                if (object.epoch != null)
                    if ($util.Long)
                        message.epoch = $util.Long.fromValue(object.epoch, true);
                    else if (typeof object.epoch === "string")
                        message.epoch = parseInt(object.epoch, 10);
                    else if (typeof object.epoch === "number")
                        message.epoch = object.epoch;
                    else if (typeof object.epoch === "object")
                        message.epoch = new $util.LongBits(object.epoch.low >>> 0, object.epoch.high >>> 0).toNumber(true);
                if (object.baseSeq != null)
                    if ($util.Long)
                        message.baseSeq = $util.Long.fromValue(object.baseSeq, true);
                    else if (typeof object.baseSeq === "string")
                        message.baseSeq = parseInt(object.baseSeq, 10);
                    else if (typeof object.baseSeq === "number")
                        message.baseSeq = object.baseSeq;
                    else if (typeof object.baseSeq === "object")
                        message.baseSeq = new $util.LongBits(object.baseSeq.low >>> 0, object.baseSeq.high >>> 0).toNumber(true);
                if (object.seq != null)
                    if ($util.Long)
                        message.seq = $util.Long.fromValue(object.seq, true);
                    else if (typeof object.seq === "string")
                        message.seq = parseInt(object.seq, 10);
                    else if (typeof object.seq === "number")
                        message.seq = object.seq;
                    else if (typeof object.seq === "object")
                        message.seq = new $util.LongBits(object.seq.low >>> 0, object.seq.high >>> 0).toNumber(true);
                if (object.added) {
                    if (!Array.isArray(object.added))
                        throw TypeError(".vigil.v1.Delta.added: array expected");
                    message.added = [];
                    for (let i = 0; i < object.added.length; ++i) {
                        if (!$util.isObject(object.added[i]))
                            throw TypeError(".vigil.v1.Delta.added: object expected");
                        message.added[i] = $root.vigil.v1.Component.fromObject(object.added[i], long + 1);
                    }
                }
                if (object.removedKeys) {
                    if (!Array.isArray(object.removedKeys))
                        throw TypeError(".vigil.v1.Delta.removedKeys: array expected");
                    message.removedKeys = [];
                    for (let i = 0; i < object.removedKeys.length; ++i)
                        message.removedKeys[i] = String(object.removedKeys[i]);
                }
                if (object.ports != null) {
                    if (!$util.isObject(object.ports))
                        throw TypeError(".vigil.v1.Delta.ports: object expected");
                    message.ports = $root.vigil.v1.PortSet.fromObject(object.ports, long + 1);
                }
                if (object.facts != null) {
                    if (!$util.isObject(object.facts))
                        throw TypeError(".vigil.v1.Delta.facts: object expected");
                    message.facts = $root.vigil.v1.HostFacts.fromObject(object.facts, long + 1);
                }
                if (object.digestAfter != null)
                    if (typeof object.digestAfter === "string")
                        $util.base64.decode(object.digestAfter, message.digestAfter = $util.newBuffer($util.base64.length(object.digestAfter)), 0);
                    else if (object.digestAfter.length >= 0)
                        message.digestAfter = object.digestAfter;
                if (object.os != null) {
                    if (!$util.isObject(object.os))
                        throw TypeError(".vigil.v1.Delta.os: object expected");
                    message.os = $root.vigil.v1.OsInfo.fromObject(object.os, long + 1);
                }
                if (object.kernel != null) {
                    if (!$util.isObject(object.kernel))
                        throw TypeError(".vigil.v1.Delta.kernel: object expected");
                    message.kernel = $root.vigil.v1.KernelInfo.fromObject(object.kernel, long + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a Delta message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.Delta
             * @static
             * @param {vigil.v1.Delta} message Delta
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Delta.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.added = [];
                    object.removedKeys = [];
                }
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.epoch = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.epoch = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.baseSeq = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.baseSeq = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.seq = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.seq = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    object.ports = null;
                    object.facts = null;
                    if (options.bytes === String)
                        object.digestAfter = "";
                    else {
                        object.digestAfter = [];
                        if (options.bytes !== Array)
                            object.digestAfter = $util.newBuffer(object.digestAfter);
                    }
                    object.os = null;
                    object.kernel = null;
                }
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.epoch = typeof message.epoch === "number" ? BigInt(message.epoch) : $util.Long.fromBits(message.epoch.low >>> 0, message.epoch.high >>> 0, true).toBigInt();
                    else if (typeof message.epoch === "number")
                        object.epoch = options.longs === String ? String(message.epoch) : message.epoch;
                    else
                        object.epoch = options.longs === String ? $util.Long.prototype.toString.call(message.epoch) : options.longs === Number ? new $util.LongBits(message.epoch.low >>> 0, message.epoch.high >>> 0).toNumber(true) : message.epoch;
                if (message.baseSeq != null && Object.hasOwnProperty.call(message, "baseSeq"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.baseSeq = typeof message.baseSeq === "number" ? BigInt(message.baseSeq) : $util.Long.fromBits(message.baseSeq.low >>> 0, message.baseSeq.high >>> 0, true).toBigInt();
                    else if (typeof message.baseSeq === "number")
                        object.baseSeq = options.longs === String ? String(message.baseSeq) : message.baseSeq;
                    else
                        object.baseSeq = options.longs === String ? $util.Long.prototype.toString.call(message.baseSeq) : options.longs === Number ? new $util.LongBits(message.baseSeq.low >>> 0, message.baseSeq.high >>> 0).toNumber(true) : message.baseSeq;
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.seq = typeof message.seq === "number" ? BigInt(message.seq) : $util.Long.fromBits(message.seq.low >>> 0, message.seq.high >>> 0, true).toBigInt();
                    else if (typeof message.seq === "number")
                        object.seq = options.longs === String ? String(message.seq) : message.seq;
                    else
                        object.seq = options.longs === String ? $util.Long.prototype.toString.call(message.seq) : options.longs === Number ? new $util.LongBits(message.seq.low >>> 0, message.seq.high >>> 0).toNumber(true) : message.seq;
                if (message.added && message.added.length) {
                    object.added = [];
                    for (let j = 0; j < message.added.length; ++j)
                        object.added[j] = $root.vigil.v1.Component.toObject(message.added[j], options, q + 1);
                }
                if (message.removedKeys && message.removedKeys.length) {
                    object.removedKeys = [];
                    for (let j = 0; j < message.removedKeys.length; ++j)
                        object.removedKeys[j] = message.removedKeys[j];
                }
                if (message.ports != null && Object.hasOwnProperty.call(message, "ports"))
                    object.ports = $root.vigil.v1.PortSet.toObject(message.ports, options, q + 1);
                if (message.facts != null && Object.hasOwnProperty.call(message, "facts"))
                    object.facts = $root.vigil.v1.HostFacts.toObject(message.facts, options, q + 1);
                if (message.digestAfter != null && Object.hasOwnProperty.call(message, "digestAfter"))
                    object.digestAfter = options.bytes === String ? $util.base64.encode(message.digestAfter, 0, message.digestAfter.length) : options.bytes === Array ? Array.prototype.slice.call(message.digestAfter) : message.digestAfter;
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    object.os = $root.vigil.v1.OsInfo.toObject(message.os, options, q + 1);
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel"))
                    object.kernel = $root.vigil.v1.KernelInfo.toObject(message.kernel, options, q + 1);
                return object;
            };

            /**
             * Converts this Delta to JSON.
             * @function toJSON
             * @memberof vigil.v1.Delta
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Delta.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Delta
             * @function getTypeUrl
             * @memberof vigil.v1.Delta
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Delta.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.Delta";
            };

            return Delta;
        })();

        v1.Heartbeat = (function() {

            /**
             * Properties of a Heartbeat.
             * @memberof vigil.v1
             * @interface IHeartbeat
             * @property {number|Long|null} [seq] Heartbeat seq
             * @property {Uint8Array|null} [digest] Heartbeat digest
             * @property {string|null} [rescanRequestId] Heartbeat rescanRequestId
             */

            /**
             * Constructs a new Heartbeat.
             * @memberof vigil.v1
             * @classdesc Represents a Heartbeat.
             * @implements IHeartbeat
             * @constructor
             * @param {vigil.v1.IHeartbeat=} [properties] Properties to set
             */
            function Heartbeat(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Heartbeat seq.
             * @member {number|Long} seq
             * @memberof vigil.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Heartbeat digest.
             * @member {Uint8Array} digest
             * @memberof vigil.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.digest = $util.newBuffer([]);

            /**
             * Heartbeat rescanRequestId.
             * @member {string} rescanRequestId
             * @memberof vigil.v1.Heartbeat
             * @instance
             */
            Heartbeat.prototype.rescanRequestId = "";

            /**
             * Creates a new Heartbeat instance using the specified properties.
             * @function create
             * @memberof vigil.v1.Heartbeat
             * @static
             * @param {vigil.v1.IHeartbeat=} [properties] Properties to set
             * @returns {vigil.v1.Heartbeat} Heartbeat instance
             */
            Heartbeat.create = function create(properties) {
                return new Heartbeat(properties);
            };

            /**
             * Encodes the specified Heartbeat message. Does not implicitly {@link vigil.v1.Heartbeat.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.Heartbeat
             * @static
             * @param {vigil.v1.IHeartbeat} message Heartbeat message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Heartbeat.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.seq);
                if (message.digest != null && Object.hasOwnProperty.call(message, "digest"))
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.digest);
                if (message.rescanRequestId != null && Object.hasOwnProperty.call(message, "rescanRequestId"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.rescanRequestId);
                return writer;
            };

            /**
             * Encodes the specified Heartbeat message, length delimited. Does not implicitly {@link vigil.v1.Heartbeat.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.Heartbeat
             * @static
             * @param {vigil.v1.IHeartbeat} message Heartbeat message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Heartbeat.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a Heartbeat message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.Heartbeat
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.Heartbeat} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Heartbeat.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Heartbeat();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.seq = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.digest = reader.bytes();
                            break;
                        }
                    case 3: {
                            message.rescanRequestId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a Heartbeat message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.Heartbeat
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.Heartbeat} Heartbeat
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Heartbeat.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a Heartbeat message.
             * @function verify
             * @memberof vigil.v1.Heartbeat
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Heartbeat.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (!$util.isInteger(message.seq) && !(message.seq && $util.isInteger(message.seq.low) && $util.isInteger(message.seq.high)))
                        return "seq: integer|Long expected";
                if (message.digest != null && Object.hasOwnProperty.call(message, "digest"))
                    if (!(message.digest && typeof message.digest.length === "number" || $util.isString(message.digest)))
                        return "digest: buffer expected";
                if (message.rescanRequestId != null && Object.hasOwnProperty.call(message, "rescanRequestId"))
                    if (!$util.isString(message.rescanRequestId))
                        return "rescanRequestId: string expected";
                return null;
            };

            /**
             * Creates a Heartbeat message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.Heartbeat
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.Heartbeat} Heartbeat
             */
            Heartbeat.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.Heartbeat)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.Heartbeat: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.Heartbeat();
                if (object.seq != null)
                    if ($util.Long)
                        message.seq = $util.Long.fromValue(object.seq, true);
                    else if (typeof object.seq === "string")
                        message.seq = parseInt(object.seq, 10);
                    else if (typeof object.seq === "number")
                        message.seq = object.seq;
                    else if (typeof object.seq === "object")
                        message.seq = new $util.LongBits(object.seq.low >>> 0, object.seq.high >>> 0).toNumber(true);
                if (object.digest != null)
                    if (typeof object.digest === "string")
                        $util.base64.decode(object.digest, message.digest = $util.newBuffer($util.base64.length(object.digest)), 0);
                    else if (object.digest.length >= 0)
                        message.digest = object.digest;
                if (object.rescanRequestId != null)
                    message.rescanRequestId = String(object.rescanRequestId);
                return message;
            };

            /**
             * Creates a plain object from a Heartbeat message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.Heartbeat
             * @static
             * @param {vigil.v1.Heartbeat} message Heartbeat
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Heartbeat.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.seq = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.seq = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    if (options.bytes === String)
                        object.digest = "";
                    else {
                        object.digest = [];
                        if (options.bytes !== Array)
                            object.digest = $util.newBuffer(object.digest);
                    }
                    object.rescanRequestId = "";
                }
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.seq = typeof message.seq === "number" ? BigInt(message.seq) : $util.Long.fromBits(message.seq.low >>> 0, message.seq.high >>> 0, true).toBigInt();
                    else if (typeof message.seq === "number")
                        object.seq = options.longs === String ? String(message.seq) : message.seq;
                    else
                        object.seq = options.longs === String ? $util.Long.prototype.toString.call(message.seq) : options.longs === Number ? new $util.LongBits(message.seq.low >>> 0, message.seq.high >>> 0).toNumber(true) : message.seq;
                if (message.digest != null && Object.hasOwnProperty.call(message, "digest"))
                    object.digest = options.bytes === String ? $util.base64.encode(message.digest, 0, message.digest.length) : options.bytes === Array ? Array.prototype.slice.call(message.digest) : message.digest;
                if (message.rescanRequestId != null && Object.hasOwnProperty.call(message, "rescanRequestId"))
                    object.rescanRequestId = message.rescanRequestId;
                return object;
            };

            /**
             * Converts this Heartbeat to JSON.
             * @function toJSON
             * @memberof vigil.v1.Heartbeat
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Heartbeat.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Heartbeat
             * @function getTypeUrl
             * @memberof vigil.v1.Heartbeat
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Heartbeat.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.Heartbeat";
            };

            return Heartbeat;
        })();

        v1.CommandResult = (function() {

            /**
             * Properties of a CommandResult.
             * @memberof vigil.v1
             * @interface ICommandResult
             * @property {string|null} [commandId] CommandResult commandId
             * @property {Uint8Array|null} [signedResult] CommandResult signedResult
             */

            /**
             * Constructs a new CommandResult.
             * @memberof vigil.v1
             * @classdesc Represents a CommandResult.
             * @implements ICommandResult
             * @constructor
             * @param {vigil.v1.ICommandResult=} [properties] Properties to set
             */
            function CommandResult(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * CommandResult commandId.
             * @member {string} commandId
             * @memberof vigil.v1.CommandResult
             * @instance
             */
            CommandResult.prototype.commandId = "";

            /**
             * CommandResult signedResult.
             * @member {Uint8Array} signedResult
             * @memberof vigil.v1.CommandResult
             * @instance
             */
            CommandResult.prototype.signedResult = $util.newBuffer([]);

            /**
             * Creates a new CommandResult instance using the specified properties.
             * @function create
             * @memberof vigil.v1.CommandResult
             * @static
             * @param {vigil.v1.ICommandResult=} [properties] Properties to set
             * @returns {vigil.v1.CommandResult} CommandResult instance
             */
            CommandResult.create = function create(properties) {
                return new CommandResult(properties);
            };

            /**
             * Encodes the specified CommandResult message. Does not implicitly {@link vigil.v1.CommandResult.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.CommandResult
             * @static
             * @param {vigil.v1.ICommandResult} message CommandResult message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CommandResult.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.commandId != null && Object.hasOwnProperty.call(message, "commandId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.commandId);
                if (message.signedResult != null && Object.hasOwnProperty.call(message, "signedResult"))
                    writer.uint32(/* id 2, wireType 2 =*/18).bytes(message.signedResult);
                return writer;
            };

            /**
             * Encodes the specified CommandResult message, length delimited. Does not implicitly {@link vigil.v1.CommandResult.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.CommandResult
             * @static
             * @param {vigil.v1.ICommandResult} message CommandResult message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CommandResult.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a CommandResult message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.CommandResult
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.CommandResult} CommandResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CommandResult.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.CommandResult();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.commandId = reader.string();
                            break;
                        }
                    case 2: {
                            message.signedResult = reader.bytes();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a CommandResult message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.CommandResult
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.CommandResult} CommandResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CommandResult.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a CommandResult message.
             * @function verify
             * @memberof vigil.v1.CommandResult
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            CommandResult.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.commandId != null && Object.hasOwnProperty.call(message, "commandId"))
                    if (!$util.isString(message.commandId))
                        return "commandId: string expected";
                if (message.signedResult != null && Object.hasOwnProperty.call(message, "signedResult"))
                    if (!(message.signedResult && typeof message.signedResult.length === "number" || $util.isString(message.signedResult)))
                        return "signedResult: buffer expected";
                return null;
            };

            /**
             * Creates a CommandResult message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.CommandResult
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.CommandResult} CommandResult
             */
            CommandResult.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.CommandResult)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.CommandResult: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.CommandResult();
                if (object.commandId != null)
                    message.commandId = String(object.commandId);
                if (object.signedResult != null)
                    if (typeof object.signedResult === "string")
                        $util.base64.decode(object.signedResult, message.signedResult = $util.newBuffer($util.base64.length(object.signedResult)), 0);
                    else if (object.signedResult.length >= 0)
                        message.signedResult = object.signedResult;
                return message;
            };

            /**
             * Creates a plain object from a CommandResult message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.CommandResult
             * @static
             * @param {vigil.v1.CommandResult} message CommandResult
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            CommandResult.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.commandId = "";
                    if (options.bytes === String)
                        object.signedResult = "";
                    else {
                        object.signedResult = [];
                        if (options.bytes !== Array)
                            object.signedResult = $util.newBuffer(object.signedResult);
                    }
                }
                if (message.commandId != null && Object.hasOwnProperty.call(message, "commandId"))
                    object.commandId = message.commandId;
                if (message.signedResult != null && Object.hasOwnProperty.call(message, "signedResult"))
                    object.signedResult = options.bytes === String ? $util.base64.encode(message.signedResult, 0, message.signedResult.length) : options.bytes === Array ? Array.prototype.slice.call(message.signedResult) : message.signedResult;
                return object;
            };

            /**
             * Converts this CommandResult to JSON.
             * @function toJSON
             * @memberof vigil.v1.CommandResult
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            CommandResult.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for CommandResult
             * @function getTypeUrl
             * @memberof vigil.v1.CommandResult
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            CommandResult.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.CommandResult";
            };

            return CommandResult;
        })();

        v1.ServerMessage = (function() {

            /**
             * Properties of a ServerMessage.
             * @memberof vigil.v1
             * @interface IServerMessage
             * @property {vigil.v1.IWelcome|null} [welcome] ServerMessage welcome
             * @property {vigil.v1.IAck|null} [ack] ServerMessage ack
             * @property {vigil.v1.IResyncRequest|null} [resync] ServerMessage resync
             * @property {vigil.v1.IRescanRequest|null} [rescan] ServerMessage rescan
             * @property {vigil.v1.ISignedCommand|null} [command] ServerMessage command
             * @property {vigil.v1.IConfigUpdate|null} [config] ServerMessage config
             */

            /**
             * Constructs a new ServerMessage.
             * @memberof vigil.v1
             * @classdesc Represents a ServerMessage.
             * @implements IServerMessage
             * @constructor
             * @param {vigil.v1.IServerMessage=} [properties] Properties to set
             */
            function ServerMessage(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ServerMessage welcome.
             * @member {vigil.v1.IWelcome|null|undefined} welcome
             * @memberof vigil.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.welcome = null;

            /**
             * ServerMessage ack.
             * @member {vigil.v1.IAck|null|undefined} ack
             * @memberof vigil.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.ack = null;

            /**
             * ServerMessage resync.
             * @member {vigil.v1.IResyncRequest|null|undefined} resync
             * @memberof vigil.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.resync = null;

            /**
             * ServerMessage rescan.
             * @member {vigil.v1.IRescanRequest|null|undefined} rescan
             * @memberof vigil.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.rescan = null;

            /**
             * ServerMessage command.
             * @member {vigil.v1.ISignedCommand|null|undefined} command
             * @memberof vigil.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.command = null;

            /**
             * ServerMessage config.
             * @member {vigil.v1.IConfigUpdate|null|undefined} config
             * @memberof vigil.v1.ServerMessage
             * @instance
             */
            ServerMessage.prototype.config = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * ServerMessage kind.
             * @member {"welcome"|"ack"|"resync"|"rescan"|"command"|"config"|undefined} kind
             * @memberof vigil.v1.ServerMessage
             * @instance
             */
            Object.defineProperty(ServerMessage.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["welcome", "ack", "resync", "rescan", "command", "config"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new ServerMessage instance using the specified properties.
             * @function create
             * @memberof vigil.v1.ServerMessage
             * @static
             * @param {vigil.v1.IServerMessage=} [properties] Properties to set
             * @returns {vigil.v1.ServerMessage} ServerMessage instance
             */
            ServerMessage.create = function create(properties) {
                return new ServerMessage(properties);
            };

            /**
             * Encodes the specified ServerMessage message. Does not implicitly {@link vigil.v1.ServerMessage.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.ServerMessage
             * @static
             * @param {vigil.v1.IServerMessage} message ServerMessage message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ServerMessage.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.welcome != null && Object.hasOwnProperty.call(message, "welcome"))
                    $root.vigil.v1.Welcome.encode(message.welcome, writer.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                if (message.ack != null && Object.hasOwnProperty.call(message, "ack"))
                    $root.vigil.v1.Ack.encode(message.ack, writer.uint32(/* id 2, wireType 2 =*/18).fork(), q + 1).ldelim();
                if (message.resync != null && Object.hasOwnProperty.call(message, "resync"))
                    $root.vigil.v1.ResyncRequest.encode(message.resync, writer.uint32(/* id 3, wireType 2 =*/26).fork(), q + 1).ldelim();
                if (message.rescan != null && Object.hasOwnProperty.call(message, "rescan"))
                    $root.vigil.v1.RescanRequest.encode(message.rescan, writer.uint32(/* id 4, wireType 2 =*/34).fork(), q + 1).ldelim();
                if (message.command != null && Object.hasOwnProperty.call(message, "command"))
                    $root.vigil.v1.SignedCommand.encode(message.command, writer.uint32(/* id 5, wireType 2 =*/42).fork(), q + 1).ldelim();
                if (message.config != null && Object.hasOwnProperty.call(message, "config"))
                    $root.vigil.v1.ConfigUpdate.encode(message.config, writer.uint32(/* id 6, wireType 2 =*/50).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Encodes the specified ServerMessage message, length delimited. Does not implicitly {@link vigil.v1.ServerMessage.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.ServerMessage
             * @static
             * @param {vigil.v1.IServerMessage} message ServerMessage message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ServerMessage.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a ServerMessage message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.ServerMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.ServerMessage} ServerMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ServerMessage.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.ServerMessage();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.welcome = $root.vigil.v1.Welcome.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 2: {
                            message.ack = $root.vigil.v1.Ack.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 3: {
                            message.resync = $root.vigil.v1.ResyncRequest.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 4: {
                            message.rescan = $root.vigil.v1.RescanRequest.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 5: {
                            message.command = $root.vigil.v1.SignedCommand.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    case 6: {
                            message.config = $root.vigil.v1.ConfigUpdate.decode(reader, reader.uint32(), undefined, long + 1);
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a ServerMessage message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.ServerMessage
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.ServerMessage} ServerMessage
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ServerMessage.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a ServerMessage message.
             * @function verify
             * @memberof vigil.v1.ServerMessage
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ServerMessage.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                let properties = {};
                if (message.welcome != null && Object.hasOwnProperty.call(message, "welcome")) {
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.Welcome.verify(message.welcome, long + 1);
                        if (error)
                            return "welcome." + error;
                    }
                }
                if (message.ack != null && Object.hasOwnProperty.call(message, "ack")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.Ack.verify(message.ack, long + 1);
                        if (error)
                            return "ack." + error;
                    }
                }
                if (message.resync != null && Object.hasOwnProperty.call(message, "resync")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.ResyncRequest.verify(message.resync, long + 1);
                        if (error)
                            return "resync." + error;
                    }
                }
                if (message.rescan != null && Object.hasOwnProperty.call(message, "rescan")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.RescanRequest.verify(message.rescan, long + 1);
                        if (error)
                            return "rescan." + error;
                    }
                }
                if (message.command != null && Object.hasOwnProperty.call(message, "command")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.SignedCommand.verify(message.command, long + 1);
                        if (error)
                            return "command." + error;
                    }
                }
                if (message.config != null && Object.hasOwnProperty.call(message, "config")) {
                    if (properties.kind === 1)
                        return "kind: multiple values";
                    properties.kind = 1;
                    {
                        let error = $root.vigil.v1.ConfigUpdate.verify(message.config, long + 1);
                        if (error)
                            return "config." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a ServerMessage message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.ServerMessage
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.ServerMessage} ServerMessage
             */
            ServerMessage.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.ServerMessage)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.ServerMessage: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.ServerMessage();
                if (object.welcome != null) {
                    if (!$util.isObject(object.welcome))
                        throw TypeError(".vigil.v1.ServerMessage.welcome: object expected");
                    message.welcome = $root.vigil.v1.Welcome.fromObject(object.welcome, long + 1);
                }
                if (object.ack != null) {
                    if (!$util.isObject(object.ack))
                        throw TypeError(".vigil.v1.ServerMessage.ack: object expected");
                    message.ack = $root.vigil.v1.Ack.fromObject(object.ack, long + 1);
                }
                if (object.resync != null) {
                    if (!$util.isObject(object.resync))
                        throw TypeError(".vigil.v1.ServerMessage.resync: object expected");
                    message.resync = $root.vigil.v1.ResyncRequest.fromObject(object.resync, long + 1);
                }
                if (object.rescan != null) {
                    if (!$util.isObject(object.rescan))
                        throw TypeError(".vigil.v1.ServerMessage.rescan: object expected");
                    message.rescan = $root.vigil.v1.RescanRequest.fromObject(object.rescan, long + 1);
                }
                if (object.command != null) {
                    if (!$util.isObject(object.command))
                        throw TypeError(".vigil.v1.ServerMessage.command: object expected");
                    message.command = $root.vigil.v1.SignedCommand.fromObject(object.command, long + 1);
                }
                if (object.config != null) {
                    if (!$util.isObject(object.config))
                        throw TypeError(".vigil.v1.ServerMessage.config: object expected");
                    message.config = $root.vigil.v1.ConfigUpdate.fromObject(object.config, long + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a ServerMessage message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.ServerMessage
             * @static
             * @param {vigil.v1.ServerMessage} message ServerMessage
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ServerMessage.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (message.welcome != null && Object.hasOwnProperty.call(message, "welcome")) {
                    object.welcome = $root.vigil.v1.Welcome.toObject(message.welcome, options, q + 1);
                    if (options.oneofs)
                        object.kind = "welcome";
                }
                if (message.ack != null && Object.hasOwnProperty.call(message, "ack")) {
                    object.ack = $root.vigil.v1.Ack.toObject(message.ack, options, q + 1);
                    if (options.oneofs)
                        object.kind = "ack";
                }
                if (message.resync != null && Object.hasOwnProperty.call(message, "resync")) {
                    object.resync = $root.vigil.v1.ResyncRequest.toObject(message.resync, options, q + 1);
                    if (options.oneofs)
                        object.kind = "resync";
                }
                if (message.rescan != null && Object.hasOwnProperty.call(message, "rescan")) {
                    object.rescan = $root.vigil.v1.RescanRequest.toObject(message.rescan, options, q + 1);
                    if (options.oneofs)
                        object.kind = "rescan";
                }
                if (message.command != null && Object.hasOwnProperty.call(message, "command")) {
                    object.command = $root.vigil.v1.SignedCommand.toObject(message.command, options, q + 1);
                    if (options.oneofs)
                        object.kind = "command";
                }
                if (message.config != null && Object.hasOwnProperty.call(message, "config")) {
                    object.config = $root.vigil.v1.ConfigUpdate.toObject(message.config, options, q + 1);
                    if (options.oneofs)
                        object.kind = "config";
                }
                return object;
            };

            /**
             * Converts this ServerMessage to JSON.
             * @function toJSON
             * @memberof vigil.v1.ServerMessage
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ServerMessage.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for ServerMessage
             * @function getTypeUrl
             * @memberof vigil.v1.ServerMessage
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ServerMessage.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.ServerMessage";
            };

            return ServerMessage;
        })();

        v1.Welcome = (function() {

            /**
             * Properties of a Welcome.
             * @memberof vigil.v1
             * @interface IWelcome
             * @property {number|Long|null} [seq] Welcome seq
             * @property {number|Long|null} [epoch] Welcome epoch
             * @property {boolean|null} [snapshotNeeded] Welcome snapshotNeeded
             */

            /**
             * Constructs a new Welcome.
             * @memberof vigil.v1
             * @classdesc Represents a Welcome.
             * @implements IWelcome
             * @constructor
             * @param {vigil.v1.IWelcome=} [properties] Properties to set
             */
            function Welcome(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Welcome seq.
             * @member {number|Long} seq
             * @memberof vigil.v1.Welcome
             * @instance
             */
            Welcome.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Welcome epoch.
             * @member {number|Long} epoch
             * @memberof vigil.v1.Welcome
             * @instance
             */
            Welcome.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Welcome snapshotNeeded.
             * @member {boolean} snapshotNeeded
             * @memberof vigil.v1.Welcome
             * @instance
             */
            Welcome.prototype.snapshotNeeded = false;

            /**
             * Creates a new Welcome instance using the specified properties.
             * @function create
             * @memberof vigil.v1.Welcome
             * @static
             * @param {vigil.v1.IWelcome=} [properties] Properties to set
             * @returns {vigil.v1.Welcome} Welcome instance
             */
            Welcome.create = function create(properties) {
                return new Welcome(properties);
            };

            /**
             * Encodes the specified Welcome message. Does not implicitly {@link vigil.v1.Welcome.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.Welcome
             * @static
             * @param {vigil.v1.IWelcome} message Welcome message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Welcome.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.seq);
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.epoch);
                if (message.snapshotNeeded != null && Object.hasOwnProperty.call(message, "snapshotNeeded"))
                    writer.uint32(/* id 3, wireType 0 =*/24).bool(message.snapshotNeeded);
                return writer;
            };

            /**
             * Encodes the specified Welcome message, length delimited. Does not implicitly {@link vigil.v1.Welcome.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.Welcome
             * @static
             * @param {vigil.v1.IWelcome} message Welcome message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Welcome.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a Welcome message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.Welcome
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.Welcome} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Welcome.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Welcome();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.seq = reader.uint64();
                            break;
                        }
                    case 2: {
                            message.epoch = reader.uint64();
                            break;
                        }
                    case 3: {
                            message.snapshotNeeded = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a Welcome message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.Welcome
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.Welcome} Welcome
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Welcome.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a Welcome message.
             * @function verify
             * @memberof vigil.v1.Welcome
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Welcome.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (!$util.isInteger(message.seq) && !(message.seq && $util.isInteger(message.seq.low) && $util.isInteger(message.seq.high)))
                        return "seq: integer|Long expected";
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    if (!$util.isInteger(message.epoch) && !(message.epoch && $util.isInteger(message.epoch.low) && $util.isInteger(message.epoch.high)))
                        return "epoch: integer|Long expected";
                if (message.snapshotNeeded != null && Object.hasOwnProperty.call(message, "snapshotNeeded"))
                    if (typeof message.snapshotNeeded !== "boolean")
                        return "snapshotNeeded: boolean expected";
                return null;
            };

            /**
             * Creates a Welcome message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.Welcome
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.Welcome} Welcome
             */
            Welcome.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.Welcome)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.Welcome: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.Welcome();
                if (object.seq != null)
                    if ($util.Long)
                        message.seq = $util.Long.fromValue(object.seq, true);
                    else if (typeof object.seq === "string")
                        message.seq = parseInt(object.seq, 10);
                    else if (typeof object.seq === "number")
                        message.seq = object.seq;
                    else if (typeof object.seq === "object")
                        message.seq = new $util.LongBits(object.seq.low >>> 0, object.seq.high >>> 0).toNumber(true);
                if (object.epoch != null)
                    if ($util.Long)
                        message.epoch = $util.Long.fromValue(object.epoch, true);
                    else if (typeof object.epoch === "string")
                        message.epoch = parseInt(object.epoch, 10);
                    else if (typeof object.epoch === "number")
                        message.epoch = object.epoch;
                    else if (typeof object.epoch === "object")
                        message.epoch = new $util.LongBits(object.epoch.low >>> 0, object.epoch.high >>> 0).toNumber(true);
                if (object.snapshotNeeded != null)
                    message.snapshotNeeded = Boolean(object.snapshotNeeded);
                return message;
            };

            /**
             * Creates a plain object from a Welcome message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.Welcome
             * @static
             * @param {vigil.v1.Welcome} message Welcome
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Welcome.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.seq = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.seq = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.epoch = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.epoch = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                    object.snapshotNeeded = false;
                }
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.seq = typeof message.seq === "number" ? BigInt(message.seq) : $util.Long.fromBits(message.seq.low >>> 0, message.seq.high >>> 0, true).toBigInt();
                    else if (typeof message.seq === "number")
                        object.seq = options.longs === String ? String(message.seq) : message.seq;
                    else
                        object.seq = options.longs === String ? $util.Long.prototype.toString.call(message.seq) : options.longs === Number ? new $util.LongBits(message.seq.low >>> 0, message.seq.high >>> 0).toNumber(true) : message.seq;
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.epoch = typeof message.epoch === "number" ? BigInt(message.epoch) : $util.Long.fromBits(message.epoch.low >>> 0, message.epoch.high >>> 0, true).toBigInt();
                    else if (typeof message.epoch === "number")
                        object.epoch = options.longs === String ? String(message.epoch) : message.epoch;
                    else
                        object.epoch = options.longs === String ? $util.Long.prototype.toString.call(message.epoch) : options.longs === Number ? new $util.LongBits(message.epoch.low >>> 0, message.epoch.high >>> 0).toNumber(true) : message.epoch;
                if (message.snapshotNeeded != null && Object.hasOwnProperty.call(message, "snapshotNeeded"))
                    object.snapshotNeeded = message.snapshotNeeded;
                return object;
            };

            /**
             * Converts this Welcome to JSON.
             * @function toJSON
             * @memberof vigil.v1.Welcome
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Welcome.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Welcome
             * @function getTypeUrl
             * @memberof vigil.v1.Welcome
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Welcome.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.Welcome";
            };

            return Welcome;
        })();

        v1.Ack = (function() {

            /**
             * Properties of an Ack.
             * @memberof vigil.v1
             * @interface IAck
             * @property {number|Long|null} [seq] Ack seq
             */

            /**
             * Constructs a new Ack.
             * @memberof vigil.v1
             * @classdesc Represents an Ack.
             * @implements IAck
             * @constructor
             * @param {vigil.v1.IAck=} [properties] Properties to set
             */
            function Ack(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Ack seq.
             * @member {number|Long} seq
             * @memberof vigil.v1.Ack
             * @instance
             */
            Ack.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Creates a new Ack instance using the specified properties.
             * @function create
             * @memberof vigil.v1.Ack
             * @static
             * @param {vigil.v1.IAck=} [properties] Properties to set
             * @returns {vigil.v1.Ack} Ack instance
             */
            Ack.create = function create(properties) {
                return new Ack(properties);
            };

            /**
             * Encodes the specified Ack message. Does not implicitly {@link vigil.v1.Ack.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.Ack
             * @static
             * @param {vigil.v1.IAck} message Ack message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Ack.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.seq);
                return writer;
            };

            /**
             * Encodes the specified Ack message, length delimited. Does not implicitly {@link vigil.v1.Ack.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.Ack
             * @static
             * @param {vigil.v1.IAck} message Ack message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Ack.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes an Ack message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.Ack
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.Ack} Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Ack.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Ack();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.seq = reader.uint64();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes an Ack message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.Ack
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.Ack} Ack
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Ack.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies an Ack message.
             * @function verify
             * @memberof vigil.v1.Ack
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Ack.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (!$util.isInteger(message.seq) && !(message.seq && $util.isInteger(message.seq.low) && $util.isInteger(message.seq.high)))
                        return "seq: integer|Long expected";
                return null;
            };

            /**
             * Creates an Ack message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.Ack
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.Ack} Ack
             */
            Ack.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.Ack)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.Ack: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.Ack();
                if (object.seq != null)
                    if ($util.Long)
                        message.seq = $util.Long.fromValue(object.seq, true);
                    else if (typeof object.seq === "string")
                        message.seq = parseInt(object.seq, 10);
                    else if (typeof object.seq === "number")
                        message.seq = object.seq;
                    else if (typeof object.seq === "object")
                        message.seq = new $util.LongBits(object.seq.low >>> 0, object.seq.high >>> 0).toNumber(true);
                return message;
            };

            /**
             * Creates a plain object from an Ack message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.Ack
             * @static
             * @param {vigil.v1.Ack} message Ack
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Ack.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.seq = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.seq = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                if (message.seq != null && Object.hasOwnProperty.call(message, "seq"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.seq = typeof message.seq === "number" ? BigInt(message.seq) : $util.Long.fromBits(message.seq.low >>> 0, message.seq.high >>> 0, true).toBigInt();
                    else if (typeof message.seq === "number")
                        object.seq = options.longs === String ? String(message.seq) : message.seq;
                    else
                        object.seq = options.longs === String ? $util.Long.prototype.toString.call(message.seq) : options.longs === Number ? new $util.LongBits(message.seq.low >>> 0, message.seq.high >>> 0).toNumber(true) : message.seq;
                return object;
            };

            /**
             * Converts this Ack to JSON.
             * @function toJSON
             * @memberof vigil.v1.Ack
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Ack.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Ack
             * @function getTypeUrl
             * @memberof vigil.v1.Ack
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Ack.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.Ack";
            };

            return Ack;
        })();

        /**
         * ResyncReason enum.
         * @name vigil.v1.ResyncReason
         * @enum {number}
         * @property {number} RESYNC_REASON_UNSPECIFIED=0 RESYNC_REASON_UNSPECIFIED value
         * @property {number} RESYNC_REASON_SEQ_GAP=1 RESYNC_REASON_SEQ_GAP value
         * @property {number} RESYNC_REASON_DIGEST_MISMATCH=2 RESYNC_REASON_DIGEST_MISMATCH value
         * @property {number} RESYNC_REASON_EPOCH_CHANGED=3 RESYNC_REASON_EPOCH_CHANGED value
         * @property {number} RESYNC_REASON_SERVER_STATE_LOST=4 RESYNC_REASON_SERVER_STATE_LOST value
         */
        v1.ResyncReason = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "RESYNC_REASON_UNSPECIFIED"] = 0;
            values[valuesById[1] = "RESYNC_REASON_SEQ_GAP"] = 1;
            values[valuesById[2] = "RESYNC_REASON_DIGEST_MISMATCH"] = 2;
            values[valuesById[3] = "RESYNC_REASON_EPOCH_CHANGED"] = 3;
            values[valuesById[4] = "RESYNC_REASON_SERVER_STATE_LOST"] = 4;
            return values;
        })();

        v1.ResyncRequest = (function() {

            /**
             * Properties of a ResyncRequest.
             * @memberof vigil.v1
             * @interface IResyncRequest
             * @property {vigil.v1.ResyncReason|null} [reason] ResyncRequest reason
             * @property {string|null} [detail] ResyncRequest detail
             */

            /**
             * Constructs a new ResyncRequest.
             * @memberof vigil.v1
             * @classdesc Represents a ResyncRequest.
             * @implements IResyncRequest
             * @constructor
             * @param {vigil.v1.IResyncRequest=} [properties] Properties to set
             */
            function ResyncRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ResyncRequest reason.
             * @member {vigil.v1.ResyncReason} reason
             * @memberof vigil.v1.ResyncRequest
             * @instance
             */
            ResyncRequest.prototype.reason = 0;

            /**
             * ResyncRequest detail.
             * @member {string} detail
             * @memberof vigil.v1.ResyncRequest
             * @instance
             */
            ResyncRequest.prototype.detail = "";

            /**
             * Creates a new ResyncRequest instance using the specified properties.
             * @function create
             * @memberof vigil.v1.ResyncRequest
             * @static
             * @param {vigil.v1.IResyncRequest=} [properties] Properties to set
             * @returns {vigil.v1.ResyncRequest} ResyncRequest instance
             */
            ResyncRequest.create = function create(properties) {
                return new ResyncRequest(properties);
            };

            /**
             * Encodes the specified ResyncRequest message. Does not implicitly {@link vigil.v1.ResyncRequest.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.ResyncRequest
             * @static
             * @param {vigil.v1.IResyncRequest} message ResyncRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ResyncRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.reason != null && Object.hasOwnProperty.call(message, "reason"))
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.reason);
                if (message.detail != null && Object.hasOwnProperty.call(message, "detail"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.detail);
                return writer;
            };

            /**
             * Encodes the specified ResyncRequest message, length delimited. Does not implicitly {@link vigil.v1.ResyncRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.ResyncRequest
             * @static
             * @param {vigil.v1.IResyncRequest} message ResyncRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ResyncRequest.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a ResyncRequest message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.ResyncRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.ResyncRequest} ResyncRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ResyncRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.ResyncRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.reason = reader.int32();
                            break;
                        }
                    case 2: {
                            message.detail = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a ResyncRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.ResyncRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.ResyncRequest} ResyncRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ResyncRequest.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a ResyncRequest message.
             * @function verify
             * @memberof vigil.v1.ResyncRequest
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ResyncRequest.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.reason != null && Object.hasOwnProperty.call(message, "reason"))
                    switch (message.reason) {
                    default:
                        return "reason: enum value expected";
                    case 0:
                    case 1:
                    case 2:
                    case 3:
                    case 4:
                        break;
                    }
                if (message.detail != null && Object.hasOwnProperty.call(message, "detail"))
                    if (!$util.isString(message.detail))
                        return "detail: string expected";
                return null;
            };

            /**
             * Creates a ResyncRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.ResyncRequest
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.ResyncRequest} ResyncRequest
             */
            ResyncRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.ResyncRequest)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.ResyncRequest: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.ResyncRequest();
                switch (object.reason) {
                default:
                    if (typeof object.reason === "number") {
                        message.reason = object.reason;
                        break;
                    }
                    break;
                case "RESYNC_REASON_UNSPECIFIED":
                case 0:
                    message.reason = 0;
                    break;
                case "RESYNC_REASON_SEQ_GAP":
                case 1:
                    message.reason = 1;
                    break;
                case "RESYNC_REASON_DIGEST_MISMATCH":
                case 2:
                    message.reason = 2;
                    break;
                case "RESYNC_REASON_EPOCH_CHANGED":
                case 3:
                    message.reason = 3;
                    break;
                case "RESYNC_REASON_SERVER_STATE_LOST":
                case 4:
                    message.reason = 4;
                    break;
                }
                if (object.detail != null)
                    message.detail = String(object.detail);
                return message;
            };

            /**
             * Creates a plain object from a ResyncRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.ResyncRequest
             * @static
             * @param {vigil.v1.ResyncRequest} message ResyncRequest
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ResyncRequest.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.reason = options.enums === String ? "RESYNC_REASON_UNSPECIFIED" : 0;
                    object.detail = "";
                }
                if (message.reason != null && Object.hasOwnProperty.call(message, "reason"))
                    object.reason = options.enums === String ? $root.vigil.v1.ResyncReason[message.reason] === undefined ? message.reason : $root.vigil.v1.ResyncReason[message.reason] : message.reason;
                if (message.detail != null && Object.hasOwnProperty.call(message, "detail"))
                    object.detail = message.detail;
                return object;
            };

            /**
             * Converts this ResyncRequest to JSON.
             * @function toJSON
             * @memberof vigil.v1.ResyncRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ResyncRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for ResyncRequest
             * @function getTypeUrl
             * @memberof vigil.v1.ResyncRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ResyncRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.ResyncRequest";
            };

            return ResyncRequest;
        })();

        v1.RescanRequest = (function() {

            /**
             * Properties of a RescanRequest.
             * @memberof vigil.v1
             * @interface IRescanRequest
             * @property {string|null} [requestId] RescanRequest requestId
             */

            /**
             * Constructs a new RescanRequest.
             * @memberof vigil.v1
             * @classdesc Represents a RescanRequest.
             * @implements IRescanRequest
             * @constructor
             * @param {vigil.v1.IRescanRequest=} [properties] Properties to set
             */
            function RescanRequest(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * RescanRequest requestId.
             * @member {string} requestId
             * @memberof vigil.v1.RescanRequest
             * @instance
             */
            RescanRequest.prototype.requestId = "";

            /**
             * Creates a new RescanRequest instance using the specified properties.
             * @function create
             * @memberof vigil.v1.RescanRequest
             * @static
             * @param {vigil.v1.IRescanRequest=} [properties] Properties to set
             * @returns {vigil.v1.RescanRequest} RescanRequest instance
             */
            RescanRequest.create = function create(properties) {
                return new RescanRequest(properties);
            };

            /**
             * Encodes the specified RescanRequest message. Does not implicitly {@link vigil.v1.RescanRequest.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.RescanRequest
             * @static
             * @param {vigil.v1.IRescanRequest} message RescanRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RescanRequest.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.requestId);
                return writer;
            };

            /**
             * Encodes the specified RescanRequest message, length delimited. Does not implicitly {@link vigil.v1.RescanRequest.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.RescanRequest
             * @static
             * @param {vigil.v1.IRescanRequest} message RescanRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RescanRequest.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a RescanRequest message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.RescanRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.RescanRequest} RescanRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RescanRequest.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.RescanRequest();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.requestId = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a RescanRequest message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.RescanRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.RescanRequest} RescanRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RescanRequest.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a RescanRequest message.
             * @function verify
             * @memberof vigil.v1.RescanRequest
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            RescanRequest.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    if (!$util.isString(message.requestId))
                        return "requestId: string expected";
                return null;
            };

            /**
             * Creates a RescanRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.RescanRequest
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.RescanRequest} RescanRequest
             */
            RescanRequest.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.RescanRequest)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.RescanRequest: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.RescanRequest();
                if (object.requestId != null)
                    message.requestId = String(object.requestId);
                return message;
            };

            /**
             * Creates a plain object from a RescanRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.RescanRequest
             * @static
             * @param {vigil.v1.RescanRequest} message RescanRequest
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            RescanRequest.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.requestId = "";
                if (message.requestId != null && Object.hasOwnProperty.call(message, "requestId"))
                    object.requestId = message.requestId;
                return object;
            };

            /**
             * Converts this RescanRequest to JSON.
             * @function toJSON
             * @memberof vigil.v1.RescanRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            RescanRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for RescanRequest
             * @function getTypeUrl
             * @memberof vigil.v1.RescanRequest
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            RescanRequest.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.RescanRequest";
            };

            return RescanRequest;
        })();

        v1.SignedCommand = (function() {

            /**
             * Properties of a SignedCommand.
             * @memberof vigil.v1
             * @interface ISignedCommand
             * @property {Uint8Array|null} [envelope] SignedCommand envelope
             */

            /**
             * Constructs a new SignedCommand.
             * @memberof vigil.v1
             * @classdesc Represents a SignedCommand.
             * @implements ISignedCommand
             * @constructor
             * @param {vigil.v1.ISignedCommand=} [properties] Properties to set
             */
            function SignedCommand(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * SignedCommand envelope.
             * @member {Uint8Array} envelope
             * @memberof vigil.v1.SignedCommand
             * @instance
             */
            SignedCommand.prototype.envelope = $util.newBuffer([]);

            /**
             * Creates a new SignedCommand instance using the specified properties.
             * @function create
             * @memberof vigil.v1.SignedCommand
             * @static
             * @param {vigil.v1.ISignedCommand=} [properties] Properties to set
             * @returns {vigil.v1.SignedCommand} SignedCommand instance
             */
            SignedCommand.create = function create(properties) {
                return new SignedCommand(properties);
            };

            /**
             * Encodes the specified SignedCommand message. Does not implicitly {@link vigil.v1.SignedCommand.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.SignedCommand
             * @static
             * @param {vigil.v1.ISignedCommand} message SignedCommand message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SignedCommand.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.envelope != null && Object.hasOwnProperty.call(message, "envelope"))
                    writer.uint32(/* id 1, wireType 2 =*/10).bytes(message.envelope);
                return writer;
            };

            /**
             * Encodes the specified SignedCommand message, length delimited. Does not implicitly {@link vigil.v1.SignedCommand.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.SignedCommand
             * @static
             * @param {vigil.v1.ISignedCommand} message SignedCommand message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SignedCommand.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a SignedCommand message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.SignedCommand
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.SignedCommand} SignedCommand
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SignedCommand.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.SignedCommand();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.envelope = reader.bytes();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a SignedCommand message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.SignedCommand
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.SignedCommand} SignedCommand
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SignedCommand.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a SignedCommand message.
             * @function verify
             * @memberof vigil.v1.SignedCommand
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SignedCommand.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.envelope != null && Object.hasOwnProperty.call(message, "envelope"))
                    if (!(message.envelope && typeof message.envelope.length === "number" || $util.isString(message.envelope)))
                        return "envelope: buffer expected";
                return null;
            };

            /**
             * Creates a SignedCommand message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.SignedCommand
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.SignedCommand} SignedCommand
             */
            SignedCommand.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.SignedCommand)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.SignedCommand: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.SignedCommand();
                if (object.envelope != null)
                    if (typeof object.envelope === "string")
                        $util.base64.decode(object.envelope, message.envelope = $util.newBuffer($util.base64.length(object.envelope)), 0);
                    else if (object.envelope.length >= 0)
                        message.envelope = object.envelope;
                return message;
            };

            /**
             * Creates a plain object from a SignedCommand message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.SignedCommand
             * @static
             * @param {vigil.v1.SignedCommand} message SignedCommand
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SignedCommand.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    if (options.bytes === String)
                        object.envelope = "";
                    else {
                        object.envelope = [];
                        if (options.bytes !== Array)
                            object.envelope = $util.newBuffer(object.envelope);
                    }
                if (message.envelope != null && Object.hasOwnProperty.call(message, "envelope"))
                    object.envelope = options.bytes === String ? $util.base64.encode(message.envelope, 0, message.envelope.length) : options.bytes === Array ? Array.prototype.slice.call(message.envelope) : message.envelope;
                return object;
            };

            /**
             * Converts this SignedCommand to JSON.
             * @function toJSON
             * @memberof vigil.v1.SignedCommand
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SignedCommand.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for SignedCommand
             * @function getTypeUrl
             * @memberof vigil.v1.SignedCommand
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            SignedCommand.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.SignedCommand";
            };

            return SignedCommand;
        })();

        v1.ConfigUpdate = (function() {

            /**
             * Properties of a ConfigUpdate.
             * @memberof vigil.v1
             * @interface IConfigUpdate
             * @property {string|null} [configJson] ConfigUpdate configJson
             */

            /**
             * Constructs a new ConfigUpdate.
             * @memberof vigil.v1
             * @classdesc Represents a ConfigUpdate.
             * @implements IConfigUpdate
             * @constructor
             * @param {vigil.v1.IConfigUpdate=} [properties] Properties to set
             */
            function ConfigUpdate(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ConfigUpdate configJson.
             * @member {string} configJson
             * @memberof vigil.v1.ConfigUpdate
             * @instance
             */
            ConfigUpdate.prototype.configJson = "";

            /**
             * Creates a new ConfigUpdate instance using the specified properties.
             * @function create
             * @memberof vigil.v1.ConfigUpdate
             * @static
             * @param {vigil.v1.IConfigUpdate=} [properties] Properties to set
             * @returns {vigil.v1.ConfigUpdate} ConfigUpdate instance
             */
            ConfigUpdate.create = function create(properties) {
                return new ConfigUpdate(properties);
            };

            /**
             * Encodes the specified ConfigUpdate message. Does not implicitly {@link vigil.v1.ConfigUpdate.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.ConfigUpdate
             * @static
             * @param {vigil.v1.IConfigUpdate} message ConfigUpdate message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigUpdate.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.configJson != null && Object.hasOwnProperty.call(message, "configJson"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.configJson);
                return writer;
            };

            /**
             * Encodes the specified ConfigUpdate message, length delimited. Does not implicitly {@link vigil.v1.ConfigUpdate.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.ConfigUpdate
             * @static
             * @param {vigil.v1.IConfigUpdate} message ConfigUpdate message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ConfigUpdate.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a ConfigUpdate message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.ConfigUpdate
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.ConfigUpdate} ConfigUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigUpdate.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.ConfigUpdate();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.configJson = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a ConfigUpdate message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.ConfigUpdate
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.ConfigUpdate} ConfigUpdate
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ConfigUpdate.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a ConfigUpdate message.
             * @function verify
             * @memberof vigil.v1.ConfigUpdate
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ConfigUpdate.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.configJson != null && Object.hasOwnProperty.call(message, "configJson"))
                    if (!$util.isString(message.configJson))
                        return "configJson: string expected";
                return null;
            };

            /**
             * Creates a ConfigUpdate message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.ConfigUpdate
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.ConfigUpdate} ConfigUpdate
             */
            ConfigUpdate.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.ConfigUpdate)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.ConfigUpdate: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.ConfigUpdate();
                if (object.configJson != null)
                    message.configJson = String(object.configJson);
                return message;
            };

            /**
             * Creates a plain object from a ConfigUpdate message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.ConfigUpdate
             * @static
             * @param {vigil.v1.ConfigUpdate} message ConfigUpdate
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ConfigUpdate.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.configJson = "";
                if (message.configJson != null && Object.hasOwnProperty.call(message, "configJson"))
                    object.configJson = message.configJson;
                return object;
            };

            /**
             * Converts this ConfigUpdate to JSON.
             * @function toJSON
             * @memberof vigil.v1.ConfigUpdate
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ConfigUpdate.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for ConfigUpdate
             * @function getTypeUrl
             * @memberof vigil.v1.ConfigUpdate
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ConfigUpdate.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.ConfigUpdate";
            };

            return ConfigUpdate;
        })();

        /**
         * Ecosystem enum.
         * @name vigil.v1.Ecosystem
         * @enum {number}
         * @property {number} ECOSYSTEM_UNSPECIFIED=0 ECOSYSTEM_UNSPECIFIED value
         * @property {number} ECOSYSTEM_DEB=1 ECOSYSTEM_DEB value
         * @property {number} ECOSYSTEM_RPM=2 ECOSYSTEM_RPM value
         * @property {number} ECOSYSTEM_APK=3 ECOSYSTEM_APK value
         * @property {number} ECOSYSTEM_NPM=4 ECOSYSTEM_NPM value
         * @property {number} ECOSYSTEM_PYPI=5 ECOSYSTEM_PYPI value
         * @property {number} ECOSYSTEM_MAVEN=6 ECOSYSTEM_MAVEN value
         * @property {number} ECOSYSTEM_GOLANG=7 ECOSYSTEM_GOLANG value
         * @property {number} ECOSYSTEM_GENERIC=8 ECOSYSTEM_GENERIC value
         */
        v1.Ecosystem = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "ECOSYSTEM_UNSPECIFIED"] = 0;
            values[valuesById[1] = "ECOSYSTEM_DEB"] = 1;
            values[valuesById[2] = "ECOSYSTEM_RPM"] = 2;
            values[valuesById[3] = "ECOSYSTEM_APK"] = 3;
            values[valuesById[4] = "ECOSYSTEM_NPM"] = 4;
            values[valuesById[5] = "ECOSYSTEM_PYPI"] = 5;
            values[valuesById[6] = "ECOSYSTEM_MAVEN"] = 6;
            values[valuesById[7] = "ECOSYSTEM_GOLANG"] = 7;
            values[valuesById[8] = "ECOSYSTEM_GENERIC"] = 8;
            return values;
        })();

        v1.Component = (function() {

            /**
             * Properties of a Component.
             * @memberof vigil.v1
             * @interface IComponent
             * @property {vigil.v1.Ecosystem|null} [ecosystem] Component ecosystem
             * @property {string|null} [name] Component name
             * @property {string|null} [version] Component version
             * @property {string|null} [namespace] Component namespace
             * @property {string|null} [arch] Component arch
             * @property {number|null} [epoch] Component epoch
             * @property {string|null} [release] Component release
             * @property {string|null} [sourceName] Component sourceName
             * @property {string|null} [sourceVersion] Component sourceVersion
             * @property {string|null} [purl] Component purl
             * @property {Array.<string>|null} [locations] Component locations
             * @property {Array.<string>|null} [licenses] Component licenses
             * @property {string|null} [foundBy] Component foundBy
             * @property {Object.<string,string>|null} [metadata] Component metadata
             * @property {boolean|null} [inUse] Component inUse
             */

            /**
             * Constructs a new Component.
             * @memberof vigil.v1
             * @classdesc Represents a Component.
             * @implements IComponent
             * @constructor
             * @param {vigil.v1.IComponent=} [properties] Properties to set
             */
            function Component(properties) {
                this.locations = [];
                this.licenses = [];
                this.metadata = {};
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * Component ecosystem.
             * @member {vigil.v1.Ecosystem} ecosystem
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.ecosystem = 0;

            /**
             * Component name.
             * @member {string} name
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.name = "";

            /**
             * Component version.
             * @member {string} version
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.version = "";

            /**
             * Component namespace.
             * @member {string|null|undefined} namespace
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.namespace = null;

            /**
             * Component arch.
             * @member {string|null|undefined} arch
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.arch = null;

            /**
             * Component epoch.
             * @member {number|null|undefined} epoch
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.epoch = null;

            /**
             * Component release.
             * @member {string|null|undefined} release
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.release = null;

            /**
             * Component sourceName.
             * @member {string|null|undefined} sourceName
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.sourceName = null;

            /**
             * Component sourceVersion.
             * @member {string|null|undefined} sourceVersion
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.sourceVersion = null;

            /**
             * Component purl.
             * @member {string} purl
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.purl = "";

            /**
             * Component locations.
             * @member {Array.<string>} locations
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.locations = $util.emptyArray;

            /**
             * Component licenses.
             * @member {Array.<string>} licenses
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.licenses = $util.emptyArray;

            /**
             * Component foundBy.
             * @member {string} foundBy
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.foundBy = "";

            /**
             * Component metadata.
             * @member {Object.<string,string>} metadata
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.metadata = $util.emptyObject;

            /**
             * Component inUse.
             * @member {boolean|null|undefined} inUse
             * @memberof vigil.v1.Component
             * @instance
             */
            Component.prototype.inUse = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_namespace", {
                get: $util.oneOfGetter($oneOfFields = ["namespace"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_arch", {
                get: $util.oneOfGetter($oneOfFields = ["arch"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_epoch", {
                get: $util.oneOfGetter($oneOfFields = ["epoch"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_release", {
                get: $util.oneOfGetter($oneOfFields = ["release"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_sourceName", {
                get: $util.oneOfGetter($oneOfFields = ["sourceName"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_sourceVersion", {
                get: $util.oneOfGetter($oneOfFields = ["sourceVersion"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(Component.prototype, "_inUse", {
                get: $util.oneOfGetter($oneOfFields = ["inUse"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Component instance using the specified properties.
             * @function create
             * @memberof vigil.v1.Component
             * @static
             * @param {vigil.v1.IComponent=} [properties] Properties to set
             * @returns {vigil.v1.Component} Component instance
             */
            Component.create = function create(properties) {
                return new Component(properties);
            };

            /**
             * Encodes the specified Component message. Does not implicitly {@link vigil.v1.Component.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.Component
             * @static
             * @param {vigil.v1.IComponent} message Component message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Component.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.ecosystem != null && Object.hasOwnProperty.call(message, "ecosystem"))
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.ecosystem);
                if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.name);
                if (message.version != null && Object.hasOwnProperty.call(message, "version"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.version);
                if (message.namespace != null && Object.hasOwnProperty.call(message, "namespace"))
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.namespace);
                if (message.arch != null && Object.hasOwnProperty.call(message, "arch"))
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.arch);
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch"))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.epoch);
                if (message.release != null && Object.hasOwnProperty.call(message, "release"))
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.release);
                if (message.sourceName != null && Object.hasOwnProperty.call(message, "sourceName"))
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.sourceName);
                if (message.sourceVersion != null && Object.hasOwnProperty.call(message, "sourceVersion"))
                    writer.uint32(/* id 9, wireType 2 =*/74).string(message.sourceVersion);
                if (message.purl != null && Object.hasOwnProperty.call(message, "purl"))
                    writer.uint32(/* id 10, wireType 2 =*/82).string(message.purl);
                if (message.locations != null && message.locations.length)
                    for (let i = 0; i < message.locations.length; ++i)
                        writer.uint32(/* id 11, wireType 2 =*/90).string(message.locations[i]);
                if (message.licenses != null && message.licenses.length)
                    for (let i = 0; i < message.licenses.length; ++i)
                        writer.uint32(/* id 12, wireType 2 =*/98).string(message.licenses[i]);
                if (message.foundBy != null && Object.hasOwnProperty.call(message, "foundBy"))
                    writer.uint32(/* id 13, wireType 2 =*/106).string(message.foundBy);
                if (message.metadata != null && Object.hasOwnProperty.call(message, "metadata"))
                    for (let keys = Object.keys(message.metadata), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 14, wireType 2 =*/114).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.metadata[keys[i]]).ldelim();
                if (message.inUse != null && Object.hasOwnProperty.call(message, "inUse"))
                    writer.uint32(/* id 15, wireType 0 =*/120).bool(message.inUse);
                return writer;
            };

            /**
             * Encodes the specified Component message, length delimited. Does not implicitly {@link vigil.v1.Component.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.Component
             * @static
             * @param {vigil.v1.IComponent} message Component message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Component.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a Component message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.Component
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.Component} Component
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Component.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message, key, value;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.Component();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.ecosystem = reader.int32();
                            break;
                        }
                    case 2: {
                            message.name = reader.string();
                            break;
                        }
                    case 3: {
                            message.version = reader.string();
                            break;
                        }
                    case 4: {
                            message.namespace = reader.string();
                            break;
                        }
                    case 5: {
                            message.arch = reader.string();
                            break;
                        }
                    case 6: {
                            message.epoch = reader.uint32();
                            break;
                        }
                    case 7: {
                            message.release = reader.string();
                            break;
                        }
                    case 8: {
                            message.sourceName = reader.string();
                            break;
                        }
                    case 9: {
                            message.sourceVersion = reader.string();
                            break;
                        }
                    case 10: {
                            message.purl = reader.string();
                            break;
                        }
                    case 11: {
                            if (!(message.locations && message.locations.length))
                                message.locations = [];
                            message.locations.push(reader.string());
                            break;
                        }
                    case 12: {
                            if (!(message.licenses && message.licenses.length))
                                message.licenses = [];
                            message.licenses.push(reader.string());
                            break;
                        }
                    case 13: {
                            message.foundBy = reader.string();
                            break;
                        }
                    case 14: {
                            if (message.metadata === $util.emptyObject)
                                message.metadata = {};
                            let end2 = reader.uint32() + reader.pos;
                            if (end2 > reader.len)
                                throw RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.uint32();
                                switch (tag2 >>> 3) {
                                case 1:
                                    key = reader.string();
                                    break;
                                case 2:
                                    value = reader.string();
                                    break;
                                default:
                                    reader.skipType(tag2 & 7, long);
                                    break;
                                }
                            }
                            if (reader.pos !== end2)
                                throw RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.metadata, key);
                            message.metadata[key] = value;
                            break;
                        }
                    case 15: {
                            message.inUse = reader.bool();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a Component message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.Component
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.Component} Component
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Component.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a Component message.
             * @function verify
             * @memberof vigil.v1.Component
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Component.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                let properties = {};
                if (message.ecosystem != null && Object.hasOwnProperty.call(message, "ecosystem"))
                    switch (message.ecosystem) {
                    default:
                        return "ecosystem: enum value expected";
                    case 0:
                    case 1:
                    case 2:
                    case 3:
                    case 4:
                    case 5:
                    case 6:
                    case 7:
                    case 8:
                        break;
                    }
                if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                    if (!$util.isString(message.name))
                        return "name: string expected";
                if (message.version != null && Object.hasOwnProperty.call(message, "version"))
                    if (!$util.isString(message.version))
                        return "version: string expected";
                if (message.namespace != null && Object.hasOwnProperty.call(message, "namespace")) {
                    properties._namespace = 1;
                    if (!$util.isString(message.namespace))
                        return "namespace: string expected";
                }
                if (message.arch != null && Object.hasOwnProperty.call(message, "arch")) {
                    properties._arch = 1;
                    if (!$util.isString(message.arch))
                        return "arch: string expected";
                }
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch")) {
                    properties._epoch = 1;
                    if (!$util.isInteger(message.epoch))
                        return "epoch: integer expected";
                }
                if (message.release != null && Object.hasOwnProperty.call(message, "release")) {
                    properties._release = 1;
                    if (!$util.isString(message.release))
                        return "release: string expected";
                }
                if (message.sourceName != null && Object.hasOwnProperty.call(message, "sourceName")) {
                    properties._sourceName = 1;
                    if (!$util.isString(message.sourceName))
                        return "sourceName: string expected";
                }
                if (message.sourceVersion != null && Object.hasOwnProperty.call(message, "sourceVersion")) {
                    properties._sourceVersion = 1;
                    if (!$util.isString(message.sourceVersion))
                        return "sourceVersion: string expected";
                }
                if (message.purl != null && Object.hasOwnProperty.call(message, "purl"))
                    if (!$util.isString(message.purl))
                        return "purl: string expected";
                if (message.locations != null && Object.hasOwnProperty.call(message, "locations")) {
                    if (!Array.isArray(message.locations))
                        return "locations: array expected";
                    for (let i = 0; i < message.locations.length; ++i)
                        if (!$util.isString(message.locations[i]))
                            return "locations: string[] expected";
                }
                if (message.licenses != null && Object.hasOwnProperty.call(message, "licenses")) {
                    if (!Array.isArray(message.licenses))
                        return "licenses: array expected";
                    for (let i = 0; i < message.licenses.length; ++i)
                        if (!$util.isString(message.licenses[i]))
                            return "licenses: string[] expected";
                }
                if (message.foundBy != null && Object.hasOwnProperty.call(message, "foundBy"))
                    if (!$util.isString(message.foundBy))
                        return "foundBy: string expected";
                if (message.metadata != null && Object.hasOwnProperty.call(message, "metadata")) {
                    if (!$util.isObject(message.metadata))
                        return "metadata: object expected";
                    let key = Object.keys(message.metadata);
                    for (let i = 0; i < key.length; ++i)
                        if (!$util.isString(message.metadata[key[i]]))
                            return "metadata: string{k:string} expected";
                }
                if (message.inUse != null && Object.hasOwnProperty.call(message, "inUse")) {
                    properties._inUse = 1;
                    if (typeof message.inUse !== "boolean")
                        return "inUse: boolean expected";
                }
                return null;
            };

            /**
             * Creates a Component message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.Component
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.Component} Component
             */
            Component.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.Component)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.Component: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.Component();
                switch (object.ecosystem) {
                default:
                    if (typeof object.ecosystem === "number") {
                        message.ecosystem = object.ecosystem;
                        break;
                    }
                    break;
                case "ECOSYSTEM_UNSPECIFIED":
                case 0:
                    message.ecosystem = 0;
                    break;
                case "ECOSYSTEM_DEB":
                case 1:
                    message.ecosystem = 1;
                    break;
                case "ECOSYSTEM_RPM":
                case 2:
                    message.ecosystem = 2;
                    break;
                case "ECOSYSTEM_APK":
                case 3:
                    message.ecosystem = 3;
                    break;
                case "ECOSYSTEM_NPM":
                case 4:
                    message.ecosystem = 4;
                    break;
                case "ECOSYSTEM_PYPI":
                case 5:
                    message.ecosystem = 5;
                    break;
                case "ECOSYSTEM_MAVEN":
                case 6:
                    message.ecosystem = 6;
                    break;
                case "ECOSYSTEM_GOLANG":
                case 7:
                    message.ecosystem = 7;
                    break;
                case "ECOSYSTEM_GENERIC":
                case 8:
                    message.ecosystem = 8;
                    break;
                }
                if (object.name != null)
                    message.name = String(object.name);
                if (object.version != null)
                    message.version = String(object.version);
                if (object.namespace != null)
                    message.namespace = String(object.namespace);
                if (object.arch != null)
                    message.arch = String(object.arch);
                if (object.epoch != null)
                    message.epoch = object.epoch >>> 0;
                if (object.release != null)
                    message.release = String(object.release);
                if (object.sourceName != null)
                    message.sourceName = String(object.sourceName);
                if (object.sourceVersion != null)
                    message.sourceVersion = String(object.sourceVersion);
                if (object.purl != null)
                    message.purl = String(object.purl);
                if (object.locations) {
                    if (!Array.isArray(object.locations))
                        throw TypeError(".vigil.v1.Component.locations: array expected");
                    message.locations = [];
                    for (let i = 0; i < object.locations.length; ++i)
                        message.locations[i] = String(object.locations[i]);
                }
                if (object.licenses) {
                    if (!Array.isArray(object.licenses))
                        throw TypeError(".vigil.v1.Component.licenses: array expected");
                    message.licenses = [];
                    for (let i = 0; i < object.licenses.length; ++i)
                        message.licenses[i] = String(object.licenses[i]);
                }
                if (object.foundBy != null)
                    message.foundBy = String(object.foundBy);
                if (object.metadata) {
                    if (!$util.isObject(object.metadata))
                        throw TypeError(".vigil.v1.Component.metadata: object expected");
                    message.metadata = {};
                    for (let keys = Object.keys(object.metadata), i = 0; i < keys.length; ++i) {
                        if (keys[i] === "__proto__")
                            $util.makeProp(message.metadata, keys[i]);
                        message.metadata[keys[i]] = String(object.metadata[keys[i]]);
                    }
                }
                if (object.inUse != null)
                    message.inUse = Boolean(object.inUse);
                return message;
            };

            /**
             * Creates a plain object from a Component message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.Component
             * @static
             * @param {vigil.v1.Component} message Component
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Component.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults) {
                    object.locations = [];
                    object.licenses = [];
                }
                if (options.objects || options.defaults)
                    object.metadata = {};
                if (options.defaults) {
                    object.ecosystem = options.enums === String ? "ECOSYSTEM_UNSPECIFIED" : 0;
                    object.name = "";
                    object.version = "";
                    object.purl = "";
                    object.foundBy = "";
                }
                if (message.ecosystem != null && Object.hasOwnProperty.call(message, "ecosystem"))
                    object.ecosystem = options.enums === String ? $root.vigil.v1.Ecosystem[message.ecosystem] === undefined ? message.ecosystem : $root.vigil.v1.Ecosystem[message.ecosystem] : message.ecosystem;
                if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                    object.name = message.name;
                if (message.version != null && Object.hasOwnProperty.call(message, "version"))
                    object.version = message.version;
                if (message.namespace != null && Object.hasOwnProperty.call(message, "namespace")) {
                    object.namespace = message.namespace;
                    if (options.oneofs)
                        object._namespace = "namespace";
                }
                if (message.arch != null && Object.hasOwnProperty.call(message, "arch")) {
                    object.arch = message.arch;
                    if (options.oneofs)
                        object._arch = "arch";
                }
                if (message.epoch != null && Object.hasOwnProperty.call(message, "epoch")) {
                    object.epoch = message.epoch;
                    if (options.oneofs)
                        object._epoch = "epoch";
                }
                if (message.release != null && Object.hasOwnProperty.call(message, "release")) {
                    object.release = message.release;
                    if (options.oneofs)
                        object._release = "release";
                }
                if (message.sourceName != null && Object.hasOwnProperty.call(message, "sourceName")) {
                    object.sourceName = message.sourceName;
                    if (options.oneofs)
                        object._sourceName = "sourceName";
                }
                if (message.sourceVersion != null && Object.hasOwnProperty.call(message, "sourceVersion")) {
                    object.sourceVersion = message.sourceVersion;
                    if (options.oneofs)
                        object._sourceVersion = "sourceVersion";
                }
                if (message.purl != null && Object.hasOwnProperty.call(message, "purl"))
                    object.purl = message.purl;
                if (message.locations && message.locations.length) {
                    object.locations = [];
                    for (let j = 0; j < message.locations.length; ++j)
                        object.locations[j] = message.locations[j];
                }
                if (message.licenses && message.licenses.length) {
                    object.licenses = [];
                    for (let j = 0; j < message.licenses.length; ++j)
                        object.licenses[j] = message.licenses[j];
                }
                if (message.foundBy != null && Object.hasOwnProperty.call(message, "foundBy"))
                    object.foundBy = message.foundBy;
                let keys2;
                if (message.metadata && (keys2 = Object.keys(message.metadata)).length) {
                    object.metadata = {};
                    for (let j = 0; j < keys2.length; ++j) {
                        if (keys2[j] === "__proto__")
                            $util.makeProp(object.metadata, keys2[j]);
                        object.metadata[keys2[j]] = message.metadata[keys2[j]];
                    }
                }
                if (message.inUse != null && Object.hasOwnProperty.call(message, "inUse")) {
                    object.inUse = message.inUse;
                    if (options.oneofs)
                        object._inUse = "inUse";
                }
                return object;
            };

            /**
             * Converts this Component to JSON.
             * @function toJSON
             * @memberof vigil.v1.Component
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Component.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for Component
             * @function getTypeUrl
             * @memberof vigil.v1.Component
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            Component.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.Component";
            };

            return Component;
        })();

        v1.PortSet = (function() {

            /**
             * Properties of a PortSet.
             * @memberof vigil.v1
             * @interface IPortSet
             * @property {Array.<vigil.v1.IListeningPort>|null} [ports] PortSet ports
             */

            /**
             * Constructs a new PortSet.
             * @memberof vigil.v1
             * @classdesc Represents a PortSet.
             * @implements IPortSet
             * @constructor
             * @param {vigil.v1.IPortSet=} [properties] Properties to set
             */
            function PortSet(properties) {
                this.ports = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * PortSet ports.
             * @member {Array.<vigil.v1.IListeningPort>} ports
             * @memberof vigil.v1.PortSet
             * @instance
             */
            PortSet.prototype.ports = $util.emptyArray;

            /**
             * Creates a new PortSet instance using the specified properties.
             * @function create
             * @memberof vigil.v1.PortSet
             * @static
             * @param {vigil.v1.IPortSet=} [properties] Properties to set
             * @returns {vigil.v1.PortSet} PortSet instance
             */
            PortSet.create = function create(properties) {
                return new PortSet(properties);
            };

            /**
             * Encodes the specified PortSet message. Does not implicitly {@link vigil.v1.PortSet.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.PortSet
             * @static
             * @param {vigil.v1.IPortSet} message PortSet message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PortSet.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.ports != null && message.ports.length)
                    for (let i = 0; i < message.ports.length; ++i)
                        $root.vigil.v1.ListeningPort.encode(message.ports[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), q + 1).ldelim();
                return writer;
            };

            /**
             * Encodes the specified PortSet message, length delimited. Does not implicitly {@link vigil.v1.PortSet.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.PortSet
             * @static
             * @param {vigil.v1.IPortSet} message PortSet message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PortSet.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a PortSet message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.PortSet
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.PortSet} PortSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PortSet.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.PortSet();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            if (!(message.ports && message.ports.length))
                                message.ports = [];
                            message.ports.push($root.vigil.v1.ListeningPort.decode(reader, reader.uint32(), undefined, long + 1));
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a PortSet message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.PortSet
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.PortSet} PortSet
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PortSet.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a PortSet message.
             * @function verify
             * @memberof vigil.v1.PortSet
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            PortSet.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                if (message.ports != null && Object.hasOwnProperty.call(message, "ports")) {
                    if (!Array.isArray(message.ports))
                        return "ports: array expected";
                    for (let i = 0; i < message.ports.length; ++i) {
                        let error = $root.vigil.v1.ListeningPort.verify(message.ports[i], long + 1);
                        if (error)
                            return "ports." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a PortSet message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.PortSet
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.PortSet} PortSet
             */
            PortSet.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.PortSet)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.PortSet: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.PortSet();
                if (object.ports) {
                    if (!Array.isArray(object.ports))
                        throw TypeError(".vigil.v1.PortSet.ports: array expected");
                    message.ports = [];
                    for (let i = 0; i < object.ports.length; ++i) {
                        if (!$util.isObject(object.ports[i]))
                            throw TypeError(".vigil.v1.PortSet.ports: object expected");
                        message.ports[i] = $root.vigil.v1.ListeningPort.fromObject(object.ports[i], long + 1);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a PortSet message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.PortSet
             * @static
             * @param {vigil.v1.PortSet} message PortSet
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            PortSet.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.ports = [];
                if (message.ports && message.ports.length) {
                    object.ports = [];
                    for (let j = 0; j < message.ports.length; ++j)
                        object.ports[j] = $root.vigil.v1.ListeningPort.toObject(message.ports[j], options, q + 1);
                }
                return object;
            };

            /**
             * Converts this PortSet to JSON.
             * @function toJSON
             * @memberof vigil.v1.PortSet
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            PortSet.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for PortSet
             * @function getTypeUrl
             * @memberof vigil.v1.PortSet
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            PortSet.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.PortSet";
            };

            return PortSet;
        })();

        /**
         * Protocol enum.
         * @name vigil.v1.Protocol
         * @enum {number}
         * @property {number} PROTOCOL_UNSPECIFIED=0 PROTOCOL_UNSPECIFIED value
         * @property {number} PROTOCOL_TCP=1 PROTOCOL_TCP value
         * @property {number} PROTOCOL_TCP6=2 PROTOCOL_TCP6 value
         * @property {number} PROTOCOL_UDP=3 PROTOCOL_UDP value
         * @property {number} PROTOCOL_UDP6=4 PROTOCOL_UDP6 value
         */
        v1.Protocol = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "PROTOCOL_UNSPECIFIED"] = 0;
            values[valuesById[1] = "PROTOCOL_TCP"] = 1;
            values[valuesById[2] = "PROTOCOL_TCP6"] = 2;
            values[valuesById[3] = "PROTOCOL_UDP"] = 3;
            values[valuesById[4] = "PROTOCOL_UDP6"] = 4;
            return values;
        })();

        /**
         * Exposure enum.
         * @name vigil.v1.Exposure
         * @enum {number}
         * @property {number} EXPOSURE_UNSPECIFIED=0 EXPOSURE_UNSPECIFIED value
         * @property {number} EXPOSURE_LOOPBACK=1 EXPOSURE_LOOPBACK value
         * @property {number} EXPOSURE_PRIVATE=2 EXPOSURE_PRIVATE value
         * @property {number} EXPOSURE_ANY=3 EXPOSURE_ANY value
         */
        v1.Exposure = (function() {
            const valuesById = {}, values = Object.create(valuesById);
            values[valuesById[0] = "EXPOSURE_UNSPECIFIED"] = 0;
            values[valuesById[1] = "EXPOSURE_LOOPBACK"] = 1;
            values[valuesById[2] = "EXPOSURE_PRIVATE"] = 2;
            values[valuesById[3] = "EXPOSURE_ANY"] = 3;
            return values;
        })();

        v1.ListeningPort = (function() {

            /**
             * Properties of a ListeningPort.
             * @memberof vigil.v1
             * @interface IListeningPort
             * @property {vigil.v1.Protocol|null} [protocol] ListeningPort protocol
             * @property {string|null} [address] ListeningPort address
             * @property {number|null} [port] ListeningPort port
             * @property {vigil.v1.Exposure|null} [exposure] ListeningPort exposure
             * @property {number|Long|null} [inode] ListeningPort inode
             * @property {number|null} [pid] ListeningPort pid
             * @property {string|null} [process] ListeningPort process
             * @property {string|null} [executable] ListeningPort executable
             * @property {string|null} ["package"] ListeningPort package
             */

            /**
             * Constructs a new ListeningPort.
             * @memberof vigil.v1
             * @classdesc Represents a ListeningPort.
             * @implements IListeningPort
             * @constructor
             * @param {vigil.v1.IListeningPort=} [properties] Properties to set
             */
            function ListeningPort(properties) {
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * ListeningPort protocol.
             * @member {vigil.v1.Protocol} protocol
             * @memberof vigil.v1.ListeningPort
             * @instance
             */
            ListeningPort.prototype.protocol = 0;

            /**
             * ListeningPort address.
             * @member {string} address
             * @memberof vigil.v1.ListeningPort
             * @instance
             */
            ListeningPort.prototype.address = "";

            /**
             * ListeningPort port.
             * @member {number} port
             * @memberof vigil.v1.ListeningPort
             * @instance
             */
            ListeningPort.prototype.port = 0;

            /**
             * ListeningPort exposure.
             * @member {vigil.v1.Exposure} exposure
             * @memberof vigil.v1.ListeningPort
             * @instance
             */
            ListeningPort.prototype.exposure = 0;

            /**
             * ListeningPort inode.
             * @member {number|Long} inode
             * @memberof vigil.v1.ListeningPort
             * @instance
             */
            ListeningPort.prototype.inode = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * ListeningPort pid.
             * @member {number|null|undefined} pid
             * @memberof vigil.v1.ListeningPort
             * @instance
             */
            ListeningPort.prototype.pid = null;

            /**
             * ListeningPort process.
             * @member {string|null|undefined} process
             * @memberof vigil.v1.ListeningPort
             * @instance
             */
            ListeningPort.prototype.process = null;

            /**
             * ListeningPort executable.
             * @member {string|null|undefined} executable
             * @memberof vigil.v1.ListeningPort
             * @instance
             */
            ListeningPort.prototype.executable = null;

            /**
             * ListeningPort package.
             * @member {string|null|undefined} package
             * @memberof vigil.v1.ListeningPort
             * @instance
             */
            ListeningPort.prototype["package"] = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(ListeningPort.prototype, "_pid", {
                get: $util.oneOfGetter($oneOfFields = ["pid"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(ListeningPort.prototype, "_process", {
                get: $util.oneOfGetter($oneOfFields = ["process"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(ListeningPort.prototype, "_executable", {
                get: $util.oneOfGetter($oneOfFields = ["executable"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(ListeningPort.prototype, "_package", {
                get: $util.oneOfGetter($oneOfFields = ["package"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new ListeningPort instance using the specified properties.
             * @function create
             * @memberof vigil.v1.ListeningPort
             * @static
             * @param {vigil.v1.IListeningPort=} [properties] Properties to set
             * @returns {vigil.v1.ListeningPort} ListeningPort instance
             */
            ListeningPort.create = function create(properties) {
                return new ListeningPort(properties);
            };

            /**
             * Encodes the specified ListeningPort message. Does not implicitly {@link vigil.v1.ListeningPort.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.ListeningPort
             * @static
             * @param {vigil.v1.IListeningPort} message ListeningPort message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ListeningPort.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.protocol != null && Object.hasOwnProperty.call(message, "protocol"))
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.protocol);
                if (message.address != null && Object.hasOwnProperty.call(message, "address"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.address);
                if (message.port != null && Object.hasOwnProperty.call(message, "port"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.port);
                if (message.exposure != null && Object.hasOwnProperty.call(message, "exposure"))
                    writer.uint32(/* id 4, wireType 0 =*/32).int32(message.exposure);
                if (message.inode != null && Object.hasOwnProperty.call(message, "inode"))
                    writer.uint32(/* id 5, wireType 0 =*/40).uint64(message.inode);
                if (message.pid != null && Object.hasOwnProperty.call(message, "pid"))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.pid);
                if (message.process != null && Object.hasOwnProperty.call(message, "process"))
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.process);
                if (message.executable != null && Object.hasOwnProperty.call(message, "executable"))
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.executable);
                if (message["package"] != null && Object.hasOwnProperty.call(message, "package"))
                    writer.uint32(/* id 9, wireType 2 =*/74).string(message["package"]);
                return writer;
            };

            /**
             * Encodes the specified ListeningPort message, length delimited. Does not implicitly {@link vigil.v1.ListeningPort.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.ListeningPort
             * @static
             * @param {vigil.v1.IListeningPort} message ListeningPort message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ListeningPort.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a ListeningPort message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.ListeningPort
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.ListeningPort} ListeningPort
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ListeningPort.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.ListeningPort();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.protocol = reader.int32();
                            break;
                        }
                    case 2: {
                            message.address = reader.string();
                            break;
                        }
                    case 3: {
                            message.port = reader.uint32();
                            break;
                        }
                    case 4: {
                            message.exposure = reader.int32();
                            break;
                        }
                    case 5: {
                            message.inode = reader.uint64();
                            break;
                        }
                    case 6: {
                            message.pid = reader.uint32();
                            break;
                        }
                    case 7: {
                            message.process = reader.string();
                            break;
                        }
                    case 8: {
                            message.executable = reader.string();
                            break;
                        }
                    case 9: {
                            message["package"] = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a ListeningPort message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.ListeningPort
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.ListeningPort} ListeningPort
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ListeningPort.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a ListeningPort message.
             * @function verify
             * @memberof vigil.v1.ListeningPort
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ListeningPort.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                let properties = {};
                if (message.protocol != null && Object.hasOwnProperty.call(message, "protocol"))
                    switch (message.protocol) {
                    default:
                        return "protocol: enum value expected";
                    case 0:
                    case 1:
                    case 2:
                    case 3:
                    case 4:
                        break;
                    }
                if (message.address != null && Object.hasOwnProperty.call(message, "address"))
                    if (!$util.isString(message.address))
                        return "address: string expected";
                if (message.port != null && Object.hasOwnProperty.call(message, "port"))
                    if (!$util.isInteger(message.port))
                        return "port: integer expected";
                if (message.exposure != null && Object.hasOwnProperty.call(message, "exposure"))
                    switch (message.exposure) {
                    default:
                        return "exposure: enum value expected";
                    case 0:
                    case 1:
                    case 2:
                    case 3:
                        break;
                    }
                if (message.inode != null && Object.hasOwnProperty.call(message, "inode"))
                    if (!$util.isInteger(message.inode) && !(message.inode && $util.isInteger(message.inode.low) && $util.isInteger(message.inode.high)))
                        return "inode: integer|Long expected";
                if (message.pid != null && Object.hasOwnProperty.call(message, "pid")) {
                    properties._pid = 1;
                    if (!$util.isInteger(message.pid))
                        return "pid: integer expected";
                }
                if (message.process != null && Object.hasOwnProperty.call(message, "process")) {
                    properties._process = 1;
                    if (!$util.isString(message.process))
                        return "process: string expected";
                }
                if (message.executable != null && Object.hasOwnProperty.call(message, "executable")) {
                    properties._executable = 1;
                    if (!$util.isString(message.executable))
                        return "executable: string expected";
                }
                if (message["package"] != null && Object.hasOwnProperty.call(message, "package")) {
                    properties._package = 1;
                    if (!$util.isString(message["package"]))
                        return "package: string expected";
                }
                return null;
            };

            /**
             * Creates a ListeningPort message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.ListeningPort
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.ListeningPort} ListeningPort
             */
            ListeningPort.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.ListeningPort)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.ListeningPort: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.ListeningPort();
                switch (object.protocol) {
                default:
                    if (typeof object.protocol === "number") {
                        message.protocol = object.protocol;
                        break;
                    }
                    break;
                case "PROTOCOL_UNSPECIFIED":
                case 0:
                    message.protocol = 0;
                    break;
                case "PROTOCOL_TCP":
                case 1:
                    message.protocol = 1;
                    break;
                case "PROTOCOL_TCP6":
                case 2:
                    message.protocol = 2;
                    break;
                case "PROTOCOL_UDP":
                case 3:
                    message.protocol = 3;
                    break;
                case "PROTOCOL_UDP6":
                case 4:
                    message.protocol = 4;
                    break;
                }
                if (object.address != null)
                    message.address = String(object.address);
                if (object.port != null)
                    message.port = object.port >>> 0;
                switch (object.exposure) {
                default:
                    if (typeof object.exposure === "number") {
                        message.exposure = object.exposure;
                        break;
                    }
                    break;
                case "EXPOSURE_UNSPECIFIED":
                case 0:
                    message.exposure = 0;
                    break;
                case "EXPOSURE_LOOPBACK":
                case 1:
                    message.exposure = 1;
                    break;
                case "EXPOSURE_PRIVATE":
                case 2:
                    message.exposure = 2;
                    break;
                case "EXPOSURE_ANY":
                case 3:
                    message.exposure = 3;
                    break;
                }
                if (object.inode != null)
                    if ($util.Long)
                        message.inode = $util.Long.fromValue(object.inode, true);
                    else if (typeof object.inode === "string")
                        message.inode = parseInt(object.inode, 10);
                    else if (typeof object.inode === "number")
                        message.inode = object.inode;
                    else if (typeof object.inode === "object")
                        message.inode = new $util.LongBits(object.inode.low >>> 0, object.inode.high >>> 0).toNumber(true);
                if (object.pid != null)
                    message.pid = object.pid >>> 0;
                if (object.process != null)
                    message.process = String(object.process);
                if (object.executable != null)
                    message.executable = String(object.executable);
                if (object["package"] != null)
                    message["package"] = String(object["package"]);
                return message;
            };

            /**
             * Creates a plain object from a ListeningPort message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.ListeningPort
             * @static
             * @param {vigil.v1.ListeningPort} message ListeningPort
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ListeningPort.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.protocol = options.enums === String ? "PROTOCOL_UNSPECIFIED" : 0;
                    object.address = "";
                    object.port = 0;
                    object.exposure = options.enums === String ? "EXPOSURE_UNSPECIFIED" : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.inode = options.longs === String ? long.toString() : options.longs === Number ? long.toNumber() : typeof BigInt !== "undefined" && options.longs === BigInt ? long.toBigInt() : long;
                    } else
                        object.inode = options.longs === String ? "0" : typeof BigInt !== "undefined" && options.longs === BigInt ? BigInt("0") : 0;
                }
                if (message.protocol != null && Object.hasOwnProperty.call(message, "protocol"))
                    object.protocol = options.enums === String ? $root.vigil.v1.Protocol[message.protocol] === undefined ? message.protocol : $root.vigil.v1.Protocol[message.protocol] : message.protocol;
                if (message.address != null && Object.hasOwnProperty.call(message, "address"))
                    object.address = message.address;
                if (message.port != null && Object.hasOwnProperty.call(message, "port"))
                    object.port = message.port;
                if (message.exposure != null && Object.hasOwnProperty.call(message, "exposure"))
                    object.exposure = options.enums === String ? $root.vigil.v1.Exposure[message.exposure] === undefined ? message.exposure : $root.vigil.v1.Exposure[message.exposure] : message.exposure;
                if (message.inode != null && Object.hasOwnProperty.call(message, "inode"))
                    if (typeof BigInt !== "undefined" && options.longs === BigInt)
                        object.inode = typeof message.inode === "number" ? BigInt(message.inode) : $util.Long.fromBits(message.inode.low >>> 0, message.inode.high >>> 0, true).toBigInt();
                    else if (typeof message.inode === "number")
                        object.inode = options.longs === String ? String(message.inode) : message.inode;
                    else
                        object.inode = options.longs === String ? $util.Long.prototype.toString.call(message.inode) : options.longs === Number ? new $util.LongBits(message.inode.low >>> 0, message.inode.high >>> 0).toNumber(true) : message.inode;
                if (message.pid != null && Object.hasOwnProperty.call(message, "pid")) {
                    object.pid = message.pid;
                    if (options.oneofs)
                        object._pid = "pid";
                }
                if (message.process != null && Object.hasOwnProperty.call(message, "process")) {
                    object.process = message.process;
                    if (options.oneofs)
                        object._process = "process";
                }
                if (message.executable != null && Object.hasOwnProperty.call(message, "executable")) {
                    object.executable = message.executable;
                    if (options.oneofs)
                        object._executable = "executable";
                }
                if (message["package"] != null && Object.hasOwnProperty.call(message, "package")) {
                    object["package"] = message["package"];
                    if (options.oneofs)
                        object._package = "package";
                }
                return object;
            };

            /**
             * Converts this ListeningPort to JSON.
             * @function toJSON
             * @memberof vigil.v1.ListeningPort
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ListeningPort.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for ListeningPort
             * @function getTypeUrl
             * @memberof vigil.v1.ListeningPort
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            ListeningPort.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.ListeningPort";
            };

            return ListeningPort;
        })();

        v1.HostFacts = (function() {

            /**
             * Properties of a HostFacts.
             * @memberof vigil.v1
             * @interface IHostFacts
             * @property {string|null} [hostname] HostFacts hostname
             * @property {string|null} [os] HostFacts os
             * @property {string|null} [arch] HostFacts arch
             * @property {Array.<string>|null} [addresses] HostFacts addresses
             * @property {string|null} [kernel] HostFacts kernel
             */

            /**
             * Constructs a new HostFacts.
             * @memberof vigil.v1
             * @classdesc Represents a HostFacts.
             * @implements IHostFacts
             * @constructor
             * @param {vigil.v1.IHostFacts=} [properties] Properties to set
             */
            function HostFacts(properties) {
                this.addresses = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * HostFacts hostname.
             * @member {string} hostname
             * @memberof vigil.v1.HostFacts
             * @instance
             */
            HostFacts.prototype.hostname = "";

            /**
             * HostFacts os.
             * @member {string} os
             * @memberof vigil.v1.HostFacts
             * @instance
             */
            HostFacts.prototype.os = "";

            /**
             * HostFacts arch.
             * @member {string} arch
             * @memberof vigil.v1.HostFacts
             * @instance
             */
            HostFacts.prototype.arch = "";

            /**
             * HostFacts addresses.
             * @member {Array.<string>} addresses
             * @memberof vigil.v1.HostFacts
             * @instance
             */
            HostFacts.prototype.addresses = $util.emptyArray;

            /**
             * HostFacts kernel.
             * @member {string|null|undefined} kernel
             * @memberof vigil.v1.HostFacts
             * @instance
             */
            HostFacts.prototype.kernel = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(HostFacts.prototype, "_kernel", {
                get: $util.oneOfGetter($oneOfFields = ["kernel"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new HostFacts instance using the specified properties.
             * @function create
             * @memberof vigil.v1.HostFacts
             * @static
             * @param {vigil.v1.IHostFacts=} [properties] Properties to set
             * @returns {vigil.v1.HostFacts} HostFacts instance
             */
            HostFacts.create = function create(properties) {
                return new HostFacts(properties);
            };

            /**
             * Encodes the specified HostFacts message. Does not implicitly {@link vigil.v1.HostFacts.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.HostFacts
             * @static
             * @param {vigil.v1.IHostFacts} message HostFacts message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HostFacts.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.hostname != null && Object.hasOwnProperty.call(message, "hostname"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.hostname);
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.os);
                if (message.arch != null && Object.hasOwnProperty.call(message, "arch"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.arch);
                if (message.addresses != null && message.addresses.length)
                    for (let i = 0; i < message.addresses.length; ++i)
                        writer.uint32(/* id 4, wireType 2 =*/34).string(message.addresses[i]);
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel"))
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.kernel);
                return writer;
            };

            /**
             * Encodes the specified HostFacts message, length delimited. Does not implicitly {@link vigil.v1.HostFacts.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.HostFacts
             * @static
             * @param {vigil.v1.IHostFacts} message HostFacts message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HostFacts.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a HostFacts message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.HostFacts
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.HostFacts} HostFacts
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HostFacts.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.HostFacts();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.hostname = reader.string();
                            break;
                        }
                    case 2: {
                            message.os = reader.string();
                            break;
                        }
                    case 3: {
                            message.arch = reader.string();
                            break;
                        }
                    case 4: {
                            if (!(message.addresses && message.addresses.length))
                                message.addresses = [];
                            message.addresses.push(reader.string());
                            break;
                        }
                    case 5: {
                            message.kernel = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a HostFacts message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.HostFacts
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.HostFacts} HostFacts
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HostFacts.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a HostFacts message.
             * @function verify
             * @memberof vigil.v1.HostFacts
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            HostFacts.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                let properties = {};
                if (message.hostname != null && Object.hasOwnProperty.call(message, "hostname"))
                    if (!$util.isString(message.hostname))
                        return "hostname: string expected";
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    if (!$util.isString(message.os))
                        return "os: string expected";
                if (message.arch != null && Object.hasOwnProperty.call(message, "arch"))
                    if (!$util.isString(message.arch))
                        return "arch: string expected";
                if (message.addresses != null && Object.hasOwnProperty.call(message, "addresses")) {
                    if (!Array.isArray(message.addresses))
                        return "addresses: array expected";
                    for (let i = 0; i < message.addresses.length; ++i)
                        if (!$util.isString(message.addresses[i]))
                            return "addresses: string[] expected";
                }
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel")) {
                    properties._kernel = 1;
                    if (!$util.isString(message.kernel))
                        return "kernel: string expected";
                }
                return null;
            };

            /**
             * Creates a HostFacts message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.HostFacts
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.HostFacts} HostFacts
             */
            HostFacts.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.HostFacts)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.HostFacts: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.HostFacts();
                if (object.hostname != null)
                    message.hostname = String(object.hostname);
                if (object.os != null)
                    message.os = String(object.os);
                if (object.arch != null)
                    message.arch = String(object.arch);
                if (object.addresses) {
                    if (!Array.isArray(object.addresses))
                        throw TypeError(".vigil.v1.HostFacts.addresses: array expected");
                    message.addresses = [];
                    for (let i = 0; i < object.addresses.length; ++i)
                        message.addresses[i] = String(object.addresses[i]);
                }
                if (object.kernel != null)
                    message.kernel = String(object.kernel);
                return message;
            };

            /**
             * Creates a plain object from a HostFacts message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.HostFacts
             * @static
             * @param {vigil.v1.HostFacts} message HostFacts
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            HostFacts.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.addresses = [];
                if (options.defaults) {
                    object.hostname = "";
                    object.os = "";
                    object.arch = "";
                }
                if (message.hostname != null && Object.hasOwnProperty.call(message, "hostname"))
                    object.hostname = message.hostname;
                if (message.os != null && Object.hasOwnProperty.call(message, "os"))
                    object.os = message.os;
                if (message.arch != null && Object.hasOwnProperty.call(message, "arch"))
                    object.arch = message.arch;
                if (message.addresses && message.addresses.length) {
                    object.addresses = [];
                    for (let j = 0; j < message.addresses.length; ++j)
                        object.addresses[j] = message.addresses[j];
                }
                if (message.kernel != null && Object.hasOwnProperty.call(message, "kernel")) {
                    object.kernel = message.kernel;
                    if (options.oneofs)
                        object._kernel = "kernel";
                }
                return object;
            };

            /**
             * Converts this HostFacts to JSON.
             * @function toJSON
             * @memberof vigil.v1.HostFacts
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            HostFacts.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for HostFacts
             * @function getTypeUrl
             * @memberof vigil.v1.HostFacts
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            HostFacts.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.HostFacts";
            };

            return HostFacts;
        })();

        v1.OsInfo = (function() {

            /**
             * Properties of an OsInfo.
             * @memberof vigil.v1
             * @interface IOsInfo
             * @property {string|null} [id] OsInfo id
             * @property {string|null} [versionId] OsInfo versionId
             * @property {string|null} [versionCodename] OsInfo versionCodename
             * @property {string|null} [prettyName] OsInfo prettyName
             * @property {string|null} [name] OsInfo name
             * @property {Array.<string>|null} [idLike] OsInfo idLike
             * @property {string|null} [distro] OsInfo distro
             */

            /**
             * Constructs a new OsInfo.
             * @memberof vigil.v1
             * @classdesc Represents an OsInfo.
             * @implements IOsInfo
             * @constructor
             * @param {vigil.v1.IOsInfo=} [properties] Properties to set
             */
            function OsInfo(properties) {
                this.idLike = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * OsInfo id.
             * @member {string} id
             * @memberof vigil.v1.OsInfo
             * @instance
             */
            OsInfo.prototype.id = "";

            /**
             * OsInfo versionId.
             * @member {string|null|undefined} versionId
             * @memberof vigil.v1.OsInfo
             * @instance
             */
            OsInfo.prototype.versionId = null;

            /**
             * OsInfo versionCodename.
             * @member {string|null|undefined} versionCodename
             * @memberof vigil.v1.OsInfo
             * @instance
             */
            OsInfo.prototype.versionCodename = null;

            /**
             * OsInfo prettyName.
             * @member {string|null|undefined} prettyName
             * @memberof vigil.v1.OsInfo
             * @instance
             */
            OsInfo.prototype.prettyName = null;

            /**
             * OsInfo name.
             * @member {string|null|undefined} name
             * @memberof vigil.v1.OsInfo
             * @instance
             */
            OsInfo.prototype.name = null;

            /**
             * OsInfo idLike.
             * @member {Array.<string>} idLike
             * @memberof vigil.v1.OsInfo
             * @instance
             */
            OsInfo.prototype.idLike = $util.emptyArray;

            /**
             * OsInfo distro.
             * @member {string} distro
             * @memberof vigil.v1.OsInfo
             * @instance
             */
            OsInfo.prototype.distro = "";

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(OsInfo.prototype, "_versionId", {
                get: $util.oneOfGetter($oneOfFields = ["versionId"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(OsInfo.prototype, "_versionCodename", {
                get: $util.oneOfGetter($oneOfFields = ["versionCodename"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(OsInfo.prototype, "_prettyName", {
                get: $util.oneOfGetter($oneOfFields = ["prettyName"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(OsInfo.prototype, "_name", {
                get: $util.oneOfGetter($oneOfFields = ["name"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new OsInfo instance using the specified properties.
             * @function create
             * @memberof vigil.v1.OsInfo
             * @static
             * @param {vigil.v1.IOsInfo=} [properties] Properties to set
             * @returns {vigil.v1.OsInfo} OsInfo instance
             */
            OsInfo.create = function create(properties) {
                return new OsInfo(properties);
            };

            /**
             * Encodes the specified OsInfo message. Does not implicitly {@link vigil.v1.OsInfo.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.OsInfo
             * @static
             * @param {vigil.v1.IOsInfo} message OsInfo message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            OsInfo.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                if (message.versionId != null && Object.hasOwnProperty.call(message, "versionId"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.versionId);
                if (message.versionCodename != null && Object.hasOwnProperty.call(message, "versionCodename"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.versionCodename);
                if (message.prettyName != null && Object.hasOwnProperty.call(message, "prettyName"))
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.prettyName);
                if (message.name != null && Object.hasOwnProperty.call(message, "name"))
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.name);
                if (message.idLike != null && message.idLike.length)
                    for (let i = 0; i < message.idLike.length; ++i)
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.idLike[i]);
                if (message.distro != null && Object.hasOwnProperty.call(message, "distro"))
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.distro);
                return writer;
            };

            /**
             * Encodes the specified OsInfo message, length delimited. Does not implicitly {@link vigil.v1.OsInfo.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.OsInfo
             * @static
             * @param {vigil.v1.IOsInfo} message OsInfo message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            OsInfo.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes an OsInfo message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.OsInfo
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.OsInfo} OsInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            OsInfo.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.OsInfo();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.id = reader.string();
                            break;
                        }
                    case 2: {
                            message.versionId = reader.string();
                            break;
                        }
                    case 3: {
                            message.versionCodename = reader.string();
                            break;
                        }
                    case 4: {
                            message.prettyName = reader.string();
                            break;
                        }
                    case 5: {
                            message.name = reader.string();
                            break;
                        }
                    case 6: {
                            if (!(message.idLike && message.idLike.length))
                                message.idLike = [];
                            message.idLike.push(reader.string());
                            break;
                        }
                    case 7: {
                            message.distro = reader.string();
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes an OsInfo message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.OsInfo
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.OsInfo} OsInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            OsInfo.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies an OsInfo message.
             * @function verify
             * @memberof vigil.v1.OsInfo
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            OsInfo.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                let properties = {};
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    if (!$util.isString(message.id))
                        return "id: string expected";
                if (message.versionId != null && Object.hasOwnProperty.call(message, "versionId")) {
                    properties._versionId = 1;
                    if (!$util.isString(message.versionId))
                        return "versionId: string expected";
                }
                if (message.versionCodename != null && Object.hasOwnProperty.call(message, "versionCodename")) {
                    properties._versionCodename = 1;
                    if (!$util.isString(message.versionCodename))
                        return "versionCodename: string expected";
                }
                if (message.prettyName != null && Object.hasOwnProperty.call(message, "prettyName")) {
                    properties._prettyName = 1;
                    if (!$util.isString(message.prettyName))
                        return "prettyName: string expected";
                }
                if (message.name != null && Object.hasOwnProperty.call(message, "name")) {
                    properties._name = 1;
                    if (!$util.isString(message.name))
                        return "name: string expected";
                }
                if (message.idLike != null && Object.hasOwnProperty.call(message, "idLike")) {
                    if (!Array.isArray(message.idLike))
                        return "idLike: array expected";
                    for (let i = 0; i < message.idLike.length; ++i)
                        if (!$util.isString(message.idLike[i]))
                            return "idLike: string[] expected";
                }
                if (message.distro != null && Object.hasOwnProperty.call(message, "distro"))
                    if (!$util.isString(message.distro))
                        return "distro: string expected";
                return null;
            };

            /**
             * Creates an OsInfo message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.OsInfo
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.OsInfo} OsInfo
             */
            OsInfo.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.OsInfo)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.OsInfo: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.OsInfo();
                if (object.id != null)
                    message.id = String(object.id);
                if (object.versionId != null)
                    message.versionId = String(object.versionId);
                if (object.versionCodename != null)
                    message.versionCodename = String(object.versionCodename);
                if (object.prettyName != null)
                    message.prettyName = String(object.prettyName);
                if (object.name != null)
                    message.name = String(object.name);
                if (object.idLike) {
                    if (!Array.isArray(object.idLike))
                        throw TypeError(".vigil.v1.OsInfo.idLike: array expected");
                    message.idLike = [];
                    for (let i = 0; i < object.idLike.length; ++i)
                        message.idLike[i] = String(object.idLike[i]);
                }
                if (object.distro != null)
                    message.distro = String(object.distro);
                return message;
            };

            /**
             * Creates a plain object from an OsInfo message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.OsInfo
             * @static
             * @param {vigil.v1.OsInfo} message OsInfo
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            OsInfo.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.idLike = [];
                if (options.defaults) {
                    object.id = "";
                    object.distro = "";
                }
                if (message.id != null && Object.hasOwnProperty.call(message, "id"))
                    object.id = message.id;
                if (message.versionId != null && Object.hasOwnProperty.call(message, "versionId")) {
                    object.versionId = message.versionId;
                    if (options.oneofs)
                        object._versionId = "versionId";
                }
                if (message.versionCodename != null && Object.hasOwnProperty.call(message, "versionCodename")) {
                    object.versionCodename = message.versionCodename;
                    if (options.oneofs)
                        object._versionCodename = "versionCodename";
                }
                if (message.prettyName != null && Object.hasOwnProperty.call(message, "prettyName")) {
                    object.prettyName = message.prettyName;
                    if (options.oneofs)
                        object._prettyName = "prettyName";
                }
                if (message.name != null && Object.hasOwnProperty.call(message, "name")) {
                    object.name = message.name;
                    if (options.oneofs)
                        object._name = "name";
                }
                if (message.idLike && message.idLike.length) {
                    object.idLike = [];
                    for (let j = 0; j < message.idLike.length; ++j)
                        object.idLike[j] = message.idLike[j];
                }
                if (message.distro != null && Object.hasOwnProperty.call(message, "distro"))
                    object.distro = message.distro;
                return object;
            };

            /**
             * Converts this OsInfo to JSON.
             * @function toJSON
             * @memberof vigil.v1.OsInfo
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            OsInfo.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for OsInfo
             * @function getTypeUrl
             * @memberof vigil.v1.OsInfo
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            OsInfo.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.OsInfo";
            };

            return OsInfo;
        })();

        v1.KernelInfo = (function() {

            /**
             * Properties of a KernelInfo.
             * @memberof vigil.v1
             * @interface IKernelInfo
             * @property {string|null} [running] KernelInfo running
             * @property {string|null} [runningPackage] KernelInfo runningPackage
             * @property {Array.<string>|null} [installed] KernelInfo installed
             */

            /**
             * Constructs a new KernelInfo.
             * @memberof vigil.v1
             * @classdesc Represents a KernelInfo.
             * @implements IKernelInfo
             * @constructor
             * @param {vigil.v1.IKernelInfo=} [properties] Properties to set
             */
            function KernelInfo(properties) {
                this.installed = [];
                if (properties)
                    for (let keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            }

            /**
             * KernelInfo running.
             * @member {string|null|undefined} running
             * @memberof vigil.v1.KernelInfo
             * @instance
             */
            KernelInfo.prototype.running = null;

            /**
             * KernelInfo runningPackage.
             * @member {string|null|undefined} runningPackage
             * @memberof vigil.v1.KernelInfo
             * @instance
             */
            KernelInfo.prototype.runningPackage = null;

            /**
             * KernelInfo installed.
             * @member {Array.<string>} installed
             * @memberof vigil.v1.KernelInfo
             * @instance
             */
            KernelInfo.prototype.installed = $util.emptyArray;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(KernelInfo.prototype, "_running", {
                get: $util.oneOfGetter($oneOfFields = ["running"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            Object.defineProperty(KernelInfo.prototype, "_runningPackage", {
                get: $util.oneOfGetter($oneOfFields = ["runningPackage"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new KernelInfo instance using the specified properties.
             * @function create
             * @memberof vigil.v1.KernelInfo
             * @static
             * @param {vigil.v1.IKernelInfo=} [properties] Properties to set
             * @returns {vigil.v1.KernelInfo} KernelInfo instance
             */
            KernelInfo.create = function create(properties) {
                return new KernelInfo(properties);
            };

            /**
             * Encodes the specified KernelInfo message. Does not implicitly {@link vigil.v1.KernelInfo.verify|verify} messages.
             * @function encode
             * @memberof vigil.v1.KernelInfo
             * @static
             * @param {vigil.v1.IKernelInfo} message KernelInfo message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KernelInfo.encode = function encode(message, writer, q) {
                if (!writer)
                    writer = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (message.running != null && Object.hasOwnProperty.call(message, "running"))
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.running);
                if (message.runningPackage != null && Object.hasOwnProperty.call(message, "runningPackage"))
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.runningPackage);
                if (message.installed != null && message.installed.length)
                    for (let i = 0; i < message.installed.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.installed[i]);
                return writer;
            };

            /**
             * Encodes the specified KernelInfo message, length delimited. Does not implicitly {@link vigil.v1.KernelInfo.verify|verify} messages.
             * @function encodeDelimited
             * @memberof vigil.v1.KernelInfo
             * @static
             * @param {vigil.v1.IKernelInfo} message KernelInfo message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            KernelInfo.encodeDelimited = function encodeDelimited(message, writer) {
                return this.encode(message, writer && writer.len ? writer.fork() : writer).ldelim();
            };

            /**
             * Decodes a KernelInfo message from the specified reader or buffer.
             * @function decode
             * @memberof vigil.v1.KernelInfo
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {vigil.v1.KernelInfo} KernelInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KernelInfo.decode = function decode(reader, length, error, long) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (long === undefined)
                    long = 0;
                if (long > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let end, message;
                if (length === undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = new $root.vigil.v1.KernelInfo();
                while (reader.pos < end) {
                    let tag = reader.uint32();
                    if (tag === error)
                        break;
                    switch (tag >>> 3) {
                    case 1: {
                            message.running = reader.string();
                            break;
                        }
                    case 2: {
                            message.runningPackage = reader.string();
                            break;
                        }
                    case 3: {
                            if (!(message.installed && message.installed.length))
                                message.installed = [];
                            message.installed.push(reader.string());
                            break;
                        }
                    default:
                        reader.skipType(tag & 7, long);
                        break;
                    }
                }
                if (length !== undefined) {
                    if (reader.pos !== end)
                        throw RangeError("index out of range");
                    reader.len = length;
                }
                return message;
            };

            /**
             * Decodes a KernelInfo message from the specified reader or buffer, length delimited.
             * @function decodeDelimited
             * @memberof vigil.v1.KernelInfo
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @returns {vigil.v1.KernelInfo} KernelInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            KernelInfo.decodeDelimited = function decodeDelimited(reader) {
                if (!(reader instanceof $Reader))
                    reader = new $Reader(reader);
                return this.decode(reader, reader.uint32());
            };

            /**
             * Verifies a KernelInfo message.
             * @function verify
             * @memberof vigil.v1.KernelInfo
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            KernelInfo.verify = function verify(message, long) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    return "maximum nesting depth exceeded";
                let properties = {};
                if (message.running != null && Object.hasOwnProperty.call(message, "running")) {
                    properties._running = 1;
                    if (!$util.isString(message.running))
                        return "running: string expected";
                }
                if (message.runningPackage != null && Object.hasOwnProperty.call(message, "runningPackage")) {
                    properties._runningPackage = 1;
                    if (!$util.isString(message.runningPackage))
                        return "runningPackage: string expected";
                }
                if (message.installed != null && Object.hasOwnProperty.call(message, "installed")) {
                    if (!Array.isArray(message.installed))
                        return "installed: array expected";
                    for (let i = 0; i < message.installed.length; ++i)
                        if (!$util.isString(message.installed[i]))
                            return "installed: string[] expected";
                }
                return null;
            };

            /**
             * Creates a KernelInfo message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof vigil.v1.KernelInfo
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {vigil.v1.KernelInfo} KernelInfo
             */
            KernelInfo.fromObject = function fromObject(object, long) {
                if (object instanceof $root.vigil.v1.KernelInfo)
                    return object;
                if (!$util.isObject(object))
                    throw TypeError(".vigil.v1.KernelInfo: object expected");
                if (long === undefined)
                    long = 0;
                if (long > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                let message = new $root.vigil.v1.KernelInfo();
                if (object.running != null)
                    message.running = String(object.running);
                if (object.runningPackage != null)
                    message.runningPackage = String(object.runningPackage);
                if (object.installed) {
                    if (!Array.isArray(object.installed))
                        throw TypeError(".vigil.v1.KernelInfo.installed: array expected");
                    message.installed = [];
                    for (let i = 0; i < object.installed.length; ++i)
                        message.installed[i] = String(object.installed[i]);
                }
                return message;
            };

            /**
             * Creates a plain object from a KernelInfo message. Also converts values to other types if specified.
             * @function toObject
             * @memberof vigil.v1.KernelInfo
             * @static
             * @param {vigil.v1.KernelInfo} message KernelInfo
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            KernelInfo.toObject = function toObject(message, options, q) {
                if (!options)
                    options = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.installed = [];
                if (message.running != null && Object.hasOwnProperty.call(message, "running")) {
                    object.running = message.running;
                    if (options.oneofs)
                        object._running = "running";
                }
                if (message.runningPackage != null && Object.hasOwnProperty.call(message, "runningPackage")) {
                    object.runningPackage = message.runningPackage;
                    if (options.oneofs)
                        object._runningPackage = "runningPackage";
                }
                if (message.installed && message.installed.length) {
                    object.installed = [];
                    for (let j = 0; j < message.installed.length; ++j)
                        object.installed[j] = message.installed[j];
                }
                return object;
            };

            /**
             * Converts this KernelInfo to JSON.
             * @function toJSON
             * @memberof vigil.v1.KernelInfo
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            KernelInfo.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the default type url for KernelInfo
             * @function getTypeUrl
             * @memberof vigil.v1.KernelInfo
             * @static
             * @param {string} [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns {string} The default type url
             */
            KernelInfo.getTypeUrl = function getTypeUrl(typeUrlPrefix) {
                if (typeUrlPrefix === undefined) {
                    typeUrlPrefix = "type.googleapis.com";
                }
                return typeUrlPrefix + "/vigil.v1.KernelInfo";
            };

            return KernelInfo;
        })();

        return v1;
    })();

    return vigil;
})();

export { $root as default };
