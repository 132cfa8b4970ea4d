package dev.baton.hub.compile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.baton.governance.audit.AuditChain;
import dev.baton.hub.HubCodes;
import dev.baton.hub.api.ApiException;
import dev.baton.hub.audit.AuditLog;
import dev.baton.hub.config.HubProperties;
import dev.baton.hub.persistence.DefinitionRepository;
import dev.baton.hub.persistence.DurableCommits;
import dev.baton.hub.persistence.DefinitionRow;
import dev.baton.model.definition.ProcessDefinition;
import dev.baton.model.engine.Intent;
import dev.baton.model.bpmn.BpmnBindings;
import dev.baton.model.bpmn.BpmnReader;
import dev.baton.model.bpmn.BpmnWriter;
import dev.baton.model.parser.DefinitionReader;
import dev.baton.model.validation.ExpressionChecker;
import dev.baton.model.validation.Problem;
import dev.baton.model.validation.ValidationMessages;

/**
 * Deploying definitions: validate, store a new version, compile. Deploying the same source as the
 * newest version again changes nothing. Every node compiles what any node deployed.
 */
@Service
public class DefinitionService {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionService.class);
    private static final Pattern TOO_MANY_STEPS = Pattern.compile(Arrays.stream(
            ValidationMessages.TOO_MANY_STEPS.split("%d", -1)).map(Pattern::quote).collect(Collectors.joining("\\d+")));

    /** The outcome of a deployment: the version, and whether it is new. */
    public record Deployed(String id, int version, boolean created) {
    }

    /** The formats a definition's source is stored in. */
    public static final String YAML = "yaml";
    public static final String BPMN = "bpmn";

    private final ConnectorRegistry connectors;
    /** Reads what is deployed now, within the limits. */
    private final DefinitionReader reader;
    private final BpmnReader bpmnReader;
    /** Reads what is stored: versions deployed before a limit was lowered still run. */
    private final DefinitionReader storedReader;
    private final BpmnReader storedBpmnReader;
    private final DefinitionLimits limits;
    private final BpmnWriter bpmnWriter = new BpmnWriter();
    private final DefinitionRepository repository;
    private final DefinitionCompiler compiler;
    private final DefinitionRegistry registry;
    private final HubProperties properties;
    private final Clock clock;
    private final DurableCommits durable;
    private final AuditLog audit;
    private final TransactionTemplate tx;

    public DefinitionService(ConnectorRegistry connectors, ExpressionChecker checker, DefinitionRepository repository,
                             DefinitionCompiler compiler, DefinitionRegistry registry, HubProperties properties,
                             Clock clock, DurableCommits durable, AuditLog audit, TransactionTemplate tx,
                             DefinitionLimits limits) {
        this.durable = durable;
        this.audit = audit;
        this.tx = tx;
        this.connectors = connectors;
        this.limits = limits;
        BpmnBindings bindings = new BpmnBindings(properties.bpmn().bindings(), properties.bpmn().expressions(),
                properties.bpmn().defaultRoles());
        this.reader = new DefinitionReader(connectors, checker, limits.maxSteps());
        this.bpmnReader = new BpmnReader(connectors, checker, bindings, limits.maxSteps());
        this.storedReader = new DefinitionReader(connectors, checker, Integer.MAX_VALUE);
        this.storedBpmnReader = new BpmnReader(connectors, checker, bindings, Integer.MAX_VALUE);
        this.repository = repository;
        this.compiler = compiler;
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Deploys a YAML definition.
     *
     * @throws ApiException 400 listing every problem when it is invalid
     */
    public synchronized Deployed deploy(String source, String deployedBy) {
        checkSize(source.getBytes(StandardCharsets.UTF_8).length);
        return deploy(reader.read(source), YAML, source, deployedBy);
    }

    /**
     * Deploys a BPMN 2.0 document; stored as text in the encoding its declaration names.
     *
     * @throws ApiException 400 listing every element Baton does not execute and every other problem
     */
    public synchronized Deployed deployBpmn(byte[] document, String deployedBy) {
        checkSize(document.length);
        return deploy(bpmnReader.read(document), BPMN, XmlText.decode(document), deployedBy);
    }

    private void checkSize(long bytes) {
        if (bytes > limits.maxSourceSize().toBytes()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.DEFINITION_TOO_LARGE, "Expected a definition of at"
                    + " most " + limits.maxSourceSize().toBytes() + " bytes (baton.definitions.max-source-size), but it"
                    + " has " + bytes);
        }
    }

    private Deployed deploy(DefinitionReader.Reading reading, String format, String source, String deployedBy) {
        if (!reading.problems().isEmpty()) {
            throw tooManySteps(reading.problems()) ? new ApiException(HttpStatus.BAD_REQUEST,
                    HubCodes.DEFINITION_TOO_LARGE, "The definition has more steps than baton.definitions.max-steps"
                    + " allows (" + limits.maxSteps() + ")", details(reading.problems()))
                    : invalid(reading.problems());
        }
        // Checked at deployment only: a stored definition still runs after the allow-list or secrets changed.
        List<Problem> refused = connectors.refusals(reading.definition());
        if (!refused.isEmpty()) {
            throw invalid(refused);
        }
        ProcessDefinition parsed = reading.definition();
        String hash = sha256(source);
        Optional<DefinitionRow> latest = repository.latest(parsed.id());
        if (latest.isPresent() && latest.get().sourceHash().equals(hash)) {
            ensureCompiled(latest.get());
            return new Deployed(parsed.id(), latest.get().version(), false);
        }
        int version = latest.map(r -> r.version() + 1).orElse(1);
        ProcessDefinition definition = parsed.withVersion(version);
        DefinitionRow row = new DefinitionRow(definition.id(), version, definition.name(), definition.owner(),
                definition.sla() == null ? null : definition.sla().toMillis(), format, source, hash, clock.instant(),
                deployedBy);
        try {
            tx.executeWithoutResult(status -> {
                repository.insert(row);
                audit.append(deploymentEntry(row, Intent.DEFINITION_DEPLOYED, deployedBy,
                        "deployed " + row.id() + "@" + row.version() + " (" + definition.allSteps().size() + " steps, "
                                + row.sourceFormat() + ")"));
            });
            durable.await();
        } catch (DuplicateKeyException e) {
            throw new ApiException(HttpStatus.CONFLICT, HubCodes.CONFLICT, "Version " + version + " of '"
                    + definition.id() + "' was deployed concurrently by another node; deploy again");
        }
        try {
            compiler.compile(definition, row);
        } catch (Exception e) {
            LOG.error("{} {}@{} could not be compiled", HubCodes.COMPILE_FAILED, definition.id(), version, e);
            tx.executeWithoutResult(status -> { // not deployed: nothing may start on it
                repository.delete(definition.id(), version);
                audit.append(deploymentEntry(row, Intent.DEFINITION_UNDEPLOYED, deployedBy, "withdrawn "
                        + row.id() + "@" + row.version() + ": valid, but it could not be compiled"));
            });
            throw new ApiException(HttpStatus.BAD_REQUEST, HubCodes.COMPILE_FAILED,
                    "The definition is valid but could not be compiled: " + e.getMessage());
        }
        LOG.info("Deployed {}@{} ({} steps) by {}", definition.id(), version, definition.allSteps().size(), deployedBy);
        return new Deployed(definition.id(), version, true);
    }

    private AuditChain.Draft deploymentEntry(DefinitionRow row, Intent event, String by, String summary) {
        return new AuditChain.Draft(clock.instant(), null, row.id(), row.version(), null, event.name(), event.code(),
                by == null ? "system" : by, null, null, row.sourceHash(), summary);
    }

    /** Every stored version this node has not compiled yet: at start-up, and for versions other nodes deploy. */
    @Scheduled(fixedDelayString = "${baton.engine.definition-sync:5s}", initialDelayString = "${baton.engine.definition-sync:5s}")
    public synchronized void compileStored() {
        for (DefinitionRow row : repository.all()) {
            ensureCompiled(row);
        }
    }

    private void ensureCompiled(DefinitionRow row) {
        if (registry.get(row.id(), row.version()).isPresent()) {
            return;
        }
        DefinitionReader.Reading reading = BPMN.equals(row.sourceFormat())
                ? storedBpmnReader.read(XmlText.encode(row.source())) : storedReader.read(row.source());
        if (reading.definition() == null) {
            LOG.error("{} stored definition {}@{} no longer validates and is not run: {}", HubCodes.COMPILE_FAILED,
                    row.id(), row.version(), reading.problems());
            return;
        }
        try {
            compiler.compile(reading.definition().withVersion(row.version()), row);
        } catch (Exception e) {
            LOG.error("{} stored definition {}@{} could not be compiled", HubCodes.COMPILE_FAILED, row.id(),
                    row.version(), e);
        }
    }

    /**
     * Deploys every {@code *.yaml}/{@code *.yml} and {@code *.bpmn} in the examples folder (unchanged ones
     * are skipped).
     */
    public void deployExamples() {
        String folder = properties.deploy().examples();
        if (folder == null || folder.isBlank()) {
            return;
        }
        Path dir = Path.of(folder);
        if (!Files.isDirectory(dir)) {
            LOG.info("No example processes at {}; none deployed", dir.toAbsolutePath());
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")
                    || f.toString().endsWith(".bpmn")).sorted().toList()) {
                try {
                    Deployed d = file.toString().endsWith(".bpmn") ? deployBpmn(Files.readAllBytes(file), "examples")
                            : deploy(Files.readString(file, StandardCharsets.UTF_8), "examples");
                    LOG.info("Example {} → {}@{}{}", file.getFileName(), d.id(), d.version(),
                            d.created() ? "" : " (unchanged)");
                } catch (ApiException e) {
                    LOG.error("Example {} was not deployed: {} {}", file.getFileName(), e.getMessage(), e.details());
                }
            }
        } catch (IOException e) {
            LOG.error("Example processes at {} could not be read", dir.toAbsolutePath(), e);
        }
    }

    /**
     * The model of a deployed version: compiled on this node, or compiled now from the stored source
     * when another node deployed it since the last sync. Empty when it is not stored or no longer valid.
     */
    public Optional<ProcessDefinition> model(String id, int version) {
        Optional<CompiledDefinition> compiled = registry.get(id, version);
        if (compiled.isEmpty()) {
            synchronized (this) {
                repository.find(id, version).ifPresent(this::ensureCompiled);
            }
            compiled = registry.get(id, version);
        }
        return compiled.map(CompiledDefinition::definition);
    }

    /** A deployed version (the newest when {@code version} is null) as BPMN 2.0 with its diagram. */
    public String exportBpmn(String id, Integer version) {
        DefinitionRow row = get(id, version);
        ProcessDefinition model = model(row.id(), row.version()).orElseThrow(() -> new ApiException(
                HttpStatus.CONFLICT, HubCodes.CONFLICT, "Definition '" + row.id() + "' version " + row.version()
                        + " no longer validates on this node; see the log (" + HubCodes.COMPILE_FAILED + ")"));
        return bpmnWriter.write(model);
    }

    public List<DefinitionRow> all() {
        return repository.all();
    }

    public DefinitionRow get(String id, Integer version) {
        Optional<DefinitionRow> row = version == null ? repository.latest(id) : repository.find(id, version);
        return row.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, HubCodes.NOT_FOUND,
                version == null ? "No definition '" + id + "' is deployed"
                        : "Definition '" + id + "' has no version " + version));
    }

    private static boolean tooManySteps(List<Problem> problems) {
        return problems.size() == 1 && TOO_MANY_STEPS.matcher(problems.get(0).message()).matches();
    }

    private static ApiException invalid(List<Problem> problems) {
        return new ApiException(HttpStatus.BAD_REQUEST, HubCodes.INVALID_DEFINITION,
                "The definition has " + problems.size() + " problem(s)", details(problems));
    }

    private static List<Map<String, Object>> details(List<Problem> problems) {
        return problems.stream().map(p -> {
            Map<String, Object> d = new java.util.LinkedHashMap<>();
            d.put("element", p.element());
            d.put("message", p.message());
            if (p.line() > 0) {
                d.put("line", p.line());
            }
            return d;
        }).toList();
    }

    private static String sha256(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
