/**
 * An in-process Salesforce org ({@link dev.baton.connectors.salesforce.sandbox.SalesforceSandbox}) speaking OAuth,
 * the REST API (sObjects, upsert by external id, SOQL, Collections, Composite) and the Streaming API (CometD with
 * Change Data Capture), so the unchanged camel-salesforce component can be tested and demonstrated against it.
 */
package dev.baton.connectors.salesforce.sandbox;
