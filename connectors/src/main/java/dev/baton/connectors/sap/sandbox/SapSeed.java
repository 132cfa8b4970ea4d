package dev.baton.connectors.sap.sandbox;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** GWSAMPLE_BASIC-style demo data: business partners, products (some expensive enough to cross 100,000) and orders. */
final class SapSeed {

    private SapSeed() {
    }

    private record Partner(String name, String email, String phone, String web, String street, String building,
                           String postalCode, String city, String country, String role) { }

    private record Product(String id, String name, String category, String price, String description, String weight) { }

    private static final List<Partner> PARTNERS = List.of(
            new Partner("SAP", "do.not.reply@sap.com", "0622734567", "http://www.sap.com", "Dietmar-Hopp-Allee", "16",
                    "69190", "Walldorf", "DE", "01"),
            new Partner("Becker Berlin", "dagmar.schulze@beckerberlin.de", "3088530", "http://www.beckerberlin.de",
                    "Calvinstrasse", "36", "13467", "Berlin", "DE", "01"),
            new Partner("DelBont Industries", "maria.brown@delbont.com", "5555551234", "http://www.delbont.com",
                    "Lincoln Blvd", "1900", "90003", "Los Angeles", "US", "01"),
            new Partner("Talpa", "sophie.ribery@talpa.com", "+33 1 4212 3456", "http://www.talpa.com",
                    "rue Montmartre", "18", "75002", "Paris", "FR", "01"),
            new Partner("Panorama Studios", "bob.buyer@panoramastudios.com", "7095553600", "http://www.panoramastudios.com",
                    "Wilshire Blvd", "3211", "90010", "Los Angeles", "US", "01"),
            new Partner("TECUM", "lena.maier@tecum-ag.de", "+49 89 2233 4455", "http://www.tecum-ag.de",
                    "Leopoldstrasse", "7", "80802", "Muenchen", "DE", "01"),
            new Partner("Asia High tech", "kenji.sato@asiahightech.jp", "+81 3 3555 1200", "http://www.asiahightech.jp",
                    "Chiyoda-ku", "1-2", "100-0005", "Tokyo", "JP", "01"),
            new Partner("Laurent", "claire.laurent@laurent.fr", "+33 4 7283 4455", "http://www.laurent.fr",
                    "rue de la Republique", "41", "69002", "Lyon", "FR", "01"),
            new Partner("AVANTEL", "carlos.ruiz@avantel.es", "+34 91 555 2100", "http://www.avantel.es",
                    "Calle de Alcala", "120", "28009", "Madrid", "ES", "02"),
            new Partner("Telecomunicaciones Star", "luis.star@telstar.com.ar", "+54 11 4555 1234",
                    "http://www.telstar.com.ar", "Avenida Corrientes", "1500", "C1042", "Buenos Aires", "AR", "02"));

    private static final List<Product> PRODUCTS = List.of(
            new Product("HT-1000", "Notebook Basic 15", "Notebooks", "956.00",
                    "Notebook Basic 15 with 2,80 GHz quad core, 15\" LCD, 4 GB DDR3 RAM, 500 GB Hard Disc", "4.2"),
            new Product("HT-1001", "Notebook Basic 17", "Notebooks", "1249.00",
                    "Notebook Basic 17 with 2,80 GHz quad core, 17\" LCD, 4 GB DDR3 RAM, 500 GB Hard Disc", "4.5"),
            new Product("HT-1002", "Notebook Basic 18", "Notebooks", "1570.00",
                    "Notebook Basic 18 with 2,80 GHz quad core, 18\" LCD, 8 GB DDR3 RAM, 1000 GB Hard Disc", "4.2"),
            new Product("HT-1003", "Notebook Basic 19", "Notebooks", "1650.00",
                    "Notebook Basic 19 with 2,80 GHz quad core, 19\" LCD, 8 GB DDR3 RAM, 1000 GB Hard Disc", "4.2"),
            new Product("HT-1007", "ITelO Vault", "PDAs & Organizers", "299.00",
                    "Digital Organizer with State-of-the-Art Storage Encryption", "0.2"),
            new Product("HT-1010", "Notebook Professional 15", "Notebooks", "1999.00",
                    "Notebook Professional 15 with 2,80 GHz quad core, 15\" Multitouch LCD, 8 GB DDR3 RAM", "4.3"),
            new Product("HT-1011", "Notebook Professional 17", "Notebooks", "2299.00",
                    "Notebook Professional 17 with 2,80 GHz quad core, 17\" Multitouch LCD, 8 GB DDR3 RAM", "4.1"),
            new Product("HT-1020", "ITelO Vault Net", "PDAs & Organizers", "459.00",
                    "Digital Organizer with State-of-the-Art Encryption for Storage and Network Communications", "0.16"),
            new Product("HT-1030", "Ergo Screen E-I", "Flat Screens", "230.00",
                    "Optimum Hi-Resolution max. 1920 x 1080 @ 85Hz, Dot Pitch: 0.27mm", "21"),
            new Product("HT-1035", "Flat Basic", "Flat Screens", "399.00",
                    "Optimum Hi-Resolution max. 1400 x 1050 @ 85Hz, Dot Pitch: 0.22mm", "2.8"),
            new Product("HT-1040", "Laser Professional Eco", "Laser Printers", "830.00",
                    "Print 2400 dpi image quality color documents at speeds of up to 32 ppm", "32"),
            new Product("HT-1050", "Laser Allround", "Laser Printers", "349.00",
                    "Up to 25 ppm (black and white), 17 ppm (color), 600 x 600 dpi", "23"),
            new Product("HT-1060", "Cordless Mouse", "Mice", "9.00",
                    "Cordless optical USB mouse, 4 buttons, 2 scroll wheels, 1000 dpi", "0.09"),
            new Product("HT-1500", "Server Basic", "Servers", "5000.00",
                    "Rack server, 2 x 16 cores, 256 GB RAM, 4 x 2 TB SSD", "18"),
            new Product("HT-1502", "Server Power Pro", "Servers", "25000.00",
                    "Rack server, 4 x 32 cores, 2 TB RAM, 24 x 4 TB NVMe, redundant power", "32"));

    static void seed(SapStore store, Instant now) {
        Instant created = now.minus(400, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).plus(9, ChronoUnit.HOURS);
        for (int i = 0; i < PARTNERS.size(); i++) {
            Partner p = PARTNERS.get(i);
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("City", p.city());
            address.put("PostalCode", p.postalCode());
            address.put("Street", p.street());
            address.put("Building", p.building());
            address.put("Country", p.country());
            address.put("AddressType", "02");
            Map<String, Object> bp = new LinkedHashMap<>();
            bp.put("Address", address);
            bp.put("BusinessPartnerID", String.format("%010d", 100_000_000 + i));
            bp.put("CompanyName", p.name());
            bp.put("WebAddress", p.web());
            bp.put("EmailAddress", p.email());
            bp.put("PhoneNumber", p.phone());
            bp.put("FaxNumber", "");
            bp.put("LegalForm", i == 0 ? "SE" : "Inc.");
            bp.put("CurrencyCode", "EUR");
            bp.put("BusinessPartnerRole", p.role());
            bp.put("CreatedAt", created.plus(i, ChronoUnit.HOURS));
            bp.put("ChangedAt", now.minus(30 - i, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));
            store.seed("BusinessPartnerSet", bp);
        }
        for (int i = 0; i < PRODUCTS.size(); i++) {
            Product p = PRODUCTS.get(i);
            String supplierId = String.format("%010d", 100_000_008 + i % 2);
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("ProductID", p.id());
            product.put("TypeCode", "PR");
            product.put("Category", p.category());
            product.put("Name", p.name());
            product.put("NameLanguage", "EN");
            product.put("Description", p.description());
            product.put("DescriptionLanguage", "EN");
            product.put("SupplierID", supplierId);
            product.put("SupplierName", PARTNERS.get(Integer.parseInt(supplierId) - 100_000_000).name());
            product.put("TaxTarifCode", 1);
            product.put("MeasureUnit", "EA");
            product.put("WeightMeasure", new BigDecimal(p.weight()));
            product.put("WeightUnit", "KG");
            product.put("CurrencyCode", "EUR");
            product.put("Price", new BigDecimal(p.price()));
            product.put("Width", new BigDecimal("30.00"));
            product.put("Depth", new BigDecimal("18.00"));
            product.put("Height", new BigDecimal("3.00"));
            product.put("DimUnit", "CM");
            product.put("CreatedAt", created.plus(i, ChronoUnit.MINUTES));
            product.put("ChangedAt", created.plus(i, ChronoUnit.MINUTES));
            store.seed("ProductSet", product);
        }
        Instant orders = now.minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        order(store, orders, "0100000000", "EPM DG: SO ID 0500000000 Deliver as fast as possible",
                List.of(item("HT-1000", 1), item("HT-1007", 1), item("HT-1060", 2)));
        order(store, orders.plus(1, ChronoUnit.DAYS), "0100000001", "Quarterly notebook refresh",
                List.of(item("HT-1001", 3), item("HT-1030", 3)));
        order(store, orders.plus(2, ChronoUnit.DAYS), "0100000002", "",
                List.of(item("HT-1010", 2), item("HT-1040", 1), item("HT-1050", 1)));
        order(store, orders.plus(3, ChronoUnit.DAYS), "0100000003", "Data centre expansion",
                List.of(item("HT-1502", 4), item("HT-1500", 2)));
        order(store, orders.plus(4, ChronoUnit.DAYS), "0100000004", "Studio workstations",
                List.of(item("HT-1011", 5), item("HT-1035", 5), item("HT-1060", 5)));
        store.salesOrderActionAt("SalesOrder_Confirm", "0500000001", orders.plus(1, ChronoUnit.DAYS).plusSeconds(3600));
        store.salesOrderActionAt("SalesOrder_Confirm", "0500000002", orders.plus(2, ChronoUnit.DAYS).plusSeconds(3600));
        store.salesOrderActionAt("SalesOrder_GoodsIssueCreated", "0500000002", orders.plus(3, ChronoUnit.DAYS));
        store.salesOrderActionAt("SalesOrder_InvoiceCreated", "0500000002", orders.plus(4, ChronoUnit.DAYS));
        for (int i = 0; i < 2; i++) {
            Partner p = PARTNERS.get(i + 1);
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("Address", Map.of("City", p.city(), "PostalCode", p.postalCode(), "Street", p.street(),
                    "Building", p.building(), "Country", p.country(), "AddressType", "01"));
            contact.put("ContactGuid", UUID.nameUUIDFromBytes(p.name().getBytes(StandardCharsets.UTF_8)).toString());
            contact.put("BusinessPartnerID", String.format("%010d", 100_000_001 + i));
            contact.put("Title", "");
            contact.put("FirstName", i == 0 ? "Dagmar" : "Maria");
            contact.put("LastName", i == 0 ? "Schulze" : "Brown");
            contact.put("Sex", "F");
            contact.put("PhoneNumber", p.phone());
            contact.put("EmailAddress", p.email());
            contact.put("Language", i == 0 ? "DE" : "EN");
            store.seed("ContactSet", contact);
        }
    }

    private static Map<String, Object> item(String productId, int quantity) {
        return Map.of("ProductID", productId, "Quantity", quantity);
    }

    private static void order(SapStore store, Instant at, String customerId, String note, List<Map<String, Object>> items) {
        store.insertSalesOrder(Map.of("CustomerID", customerId, "Note", note, "ToLineItems", items), at, false);
    }
}
