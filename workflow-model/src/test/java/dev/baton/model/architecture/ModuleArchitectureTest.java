package dev.baton.model.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the process language free of frameworks and I/O, so any module can use it and tests need no runtime. */
@AnalyzeClasses(packages = "dev.baton.model", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleArchitectureTest {

    @ArchTest
    static final ArchRule modelKnowsNoFramework = noClasses().that().resideInAPackage("dev.baton.model..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "org.apache.camel..", "com.fasterxml.jackson..", "jakarta..")
            .because("the model is records, enums and sealed interfaces, used by every module");

    @ArchTest
    static final ArchRule onlyTheParserReadsYaml = noClasses().that().resideInAPackage("dev.baton.model..")
            .and().resideOutsideOfPackage("dev.baton.model.parser..")
            .should().dependOnClassesThat().resideInAPackage("org.yaml..")
            .because("YAML is one way to write a definition, not part of what a definition is");

    @ArchTest
    static final ArchRule modelDoesNoIo = noClasses().that().resideInAPackage("dev.baton.model..")
            .and().resideOutsideOfPackage("dev.baton.model.parser..")
            .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.sql..")
            .orShould().dependOnClassesThat().belongToAnyOf(java.io.File.class)
            .because("orchestration does no I/O: connectors and injected ports do");
}
