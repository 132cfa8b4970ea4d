/** A local SAP NetWeaver Gateway (GWSAMPLE_BASIC, OData V2) that the real Camel components talk to unchanged. */
package dev.baton.connectors.sap.sandbox;
