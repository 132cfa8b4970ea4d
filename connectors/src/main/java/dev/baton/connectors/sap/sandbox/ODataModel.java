package dev.baton.connectors.sap.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The service's shape, read from the shipped {@code $metadata}: entity sets, their properties with EDM types, keys and
 * function imports. Navigation is declared here by hand (which foreign key joins which set), since the metadata's
 * associations carry no referential constraints.
 */
final class ODataModel {

    static final String NAMESPACE = "GWSAMPLE_BASIC";
    static final String METADATA_RESOURCE = "GWSAMPLE_BASIC.metadata.xml";

    /** One EDM property; {@code type} is e.g. {@code Edm.String} or {@code GWSAMPLE_BASIC.CT_Address}. */
    record Property(String name, String type, boolean creatable, boolean updatable) {
        boolean isComplex() {
            return !type.startsWith("Edm.");
        }
    }

    /** A navigation property: follow {@code localField} to the entries of {@code targetSet} whose {@code remoteField} matches. */
    record Navigation(String name, String targetSet, String localField, String remoteField, boolean many) { }

    /** {@code etagProperty}: the property with {@code ConcurrencyMode="Fixed"}, or null. */
    record EntitySet(String name, String typeName, List<String> keys, Map<String, Property> properties,
                     Map<String, Navigation> navigations, String etagProperty) {
        String qualifiedType() {
            return NAMESPACE + "." + typeName;
        }

        Optional<Property> property(String name) {
            return Optional.ofNullable(properties.get(name));
        }
    }

    record FunctionImport(String name, String httpMethod, String entitySet, Map<String, String> parameters) { }

    private final byte[] metadata;
    private final Map<String, EntitySet> sets = new LinkedHashMap<>();
    private final Map<String, Map<String, Property>> complexTypes = new LinkedHashMap<>();
    private final Map<String, FunctionImport> functions = new LinkedHashMap<>();

    private ODataModel(byte[] metadata) {
        this.metadata = metadata;
    }

    static ODataModel load() {
        try (InputStream in = ODataModel.class.getResourceAsStream(METADATA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + METADATA_RESOURCE);
            }
            ODataModel model = new ODataModel(in.readAllBytes());
            model.parse();
            return model;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + METADATA_RESOURCE, e);
        }
    }

    byte[] metadata() {
        return metadata.clone();
    }

    Map<String, EntitySet> sets() {
        return sets;
    }

    Optional<EntitySet> set(String name) {
        return Optional.ofNullable(sets.get(name));
    }

    Optional<FunctionImport> function(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    Map<String, Property> complexType(String qualifiedName) {
        return complexTypes.getOrDefault(qualifiedName, Map.of());
    }

    private void parse() {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(metadata));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot parse " + METADATA_RESOURCE, e);
        }
        Map<String, Element> entityTypes = new LinkedHashMap<>();
        for (Element type : elements(doc.getDocumentElement(), "EntityType")) {
            entityTypes.put(type.getAttribute("Name"), type);
        }
        for (Element type : elements(doc.getDocumentElement(), "ComplexType")) {
            complexTypes.put(NAMESPACE + "." + type.getAttribute("Name"), properties(type));
        }
        for (Element set : elements(doc.getDocumentElement(), "EntitySet")) {
            String typeName = set.getAttribute("EntityType").substring(NAMESPACE.length() + 1);
            Element type = entityTypes.get(typeName);
            List<String> keys = new ArrayList<>();
            for (Element ref : elements(type, "PropertyRef")) {
                keys.add(ref.getAttribute("Name"));
            }
            Map<String, Navigation> navs = new LinkedHashMap<>();
            for (Element nav : elements(type, "NavigationProperty")) {
                Navigation n = NAVIGATIONS.get(typeName + "." + nav.getAttribute("Name"));
                if (n != null) {
                    navs.put(n.name(), n);
                }
            }
            String etag = null;
            for (Element p : elements(type, "Property")) {
                if ("Fixed".equals(p.getAttribute("ConcurrencyMode"))) {
                    etag = p.getAttribute("Name");
                }
            }
            String name = set.getAttribute("Name");
            sets.put(name, new EntitySet(name, typeName, List.copyOf(keys), properties(type), navs, etag));
        }
        for (Element fn : elements(doc.getDocumentElement(), "FunctionImport")) {
            Map<String, String> params = new LinkedHashMap<>();
            for (Element p : elements(fn, "Parameter")) {
                params.put(p.getAttribute("Name"), p.getAttribute("Type"));
            }
            String method = fn.getAttributeNS("http://schemas.microsoft.com/ado/2007/08/dataservices/metadata", "HttpMethod");
            functions.put(fn.getAttribute("Name"), new FunctionImport(fn.getAttribute("Name"),
                    method.isEmpty() ? "GET" : method, fn.getAttribute("EntitySet"), params));
        }
    }

    private static Map<String, Property> properties(Element type) {
        Map<String, Property> props = new LinkedHashMap<>();
        for (Element p : elements(type, "Property")) {
            String sap = "http://www.sap.com/Protocols/SAPData";
            props.put(p.getAttribute("Name"), new Property(p.getAttribute("Name"), p.getAttribute("Type"),
                    !"false".equals(p.getAttributeNS(sap, "creatable")), !"false".equals(p.getAttributeNS(sap, "updatable"))));
        }
        return props;
    }

    private static List<Element> elements(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        List<Element> out = new ArrayList<>(nodes.getLength());
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    /** Keyed {@code <EntityType>.<NavigationProperty>}. */
    private static final Map<String, Navigation> NAVIGATIONS = Map.ofEntries(
            nav("BusinessPartner", "ToSalesOrders", "SalesOrderSet", "BusinessPartnerID", "CustomerID", true),
            nav("BusinessPartner", "ToContacts", "ContactSet", "BusinessPartnerID", "BusinessPartnerID", true),
            nav("BusinessPartner", "ToProducts", "ProductSet", "BusinessPartnerID", "SupplierID", true),
            nav("Product", "ToSalesOrderLineItems", "SalesOrderLineItemSet", "ProductID", "ProductID", true),
            nav("Product", "ToSupplier", "BusinessPartnerSet", "SupplierID", "BusinessPartnerID", false),
            nav("SalesOrder", "ToBusinessPartner", "BusinessPartnerSet", "CustomerID", "BusinessPartnerID", false),
            nav("SalesOrder", "ToLineItems", "SalesOrderLineItemSet", "SalesOrderID", "SalesOrderID", true),
            nav("SalesOrderLineItem", "ToHeader", "SalesOrderSet", "SalesOrderID", "SalesOrderID", false),
            nav("SalesOrderLineItem", "ToProduct", "ProductSet", "ProductID", "ProductID", false),
            nav("Contact", "ToBusinessPartner", "BusinessPartnerSet", "BusinessPartnerID", "BusinessPartnerID", false));

    private static Map.Entry<String, Navigation> nav(String owner, String name, String target, String local,
                                                     String remote, boolean many) {
        return Map.entry(owner + "." + name, new Navigation(name, target, local, remote, many));
    }
}
