package io.messengerhub.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The agent workspace as a test sees it: what an agent does on the screen, and waiting for what it shows. */
final class WorkspaceScreen {

    private final ChromeDriver browser;
    private final String hub;
    private final WebDriverWait wait;

    WorkspaceScreen(ChromeDriver browser, String hub) {
        this.browser = browser;
        this.hub = hub;
        this.wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    void open() {
        browser.get(hub + "/workspace/");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("login-agent")));
    }

    void logIn(String agent, String password) {
        open();
        browser.findElement(By.id("login-agent")).sendKeys(agent);
        browser.findElement(By.id("login-password")).sendKeys(password);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-connection", "connected"));
    }

    void choosePresence(String presence) {
        new Select(browser.findElement(By.id("presence"))).selectByValue(presence);
    }

    void chooseLanguage(String language) {
        new Select(browser.findElement(By.id("language"))).selectByValue(language);
    }

    /** Waits until the element shows a text containing {@code part}; returns the element. */
    WebElement waitForText(By where, String part) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(where, part));
        return browser.findElement(where);
    }

    /** The offer toast that names this first message. */
    WebElement offerWith(String firstMessage) {
        By offer = By.xpath("//section[@class='offer'][.//blockquote[contains(., " + literal(firstMessage) + ")]]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(offer));
        return browser.findElement(offer);
    }

    /** Accepts the offer that names this first message. */
    void accept(String firstMessage) {
        By button = By.xpath("//section[@class='offer'][.//blockquote[contains(., " + literal(firstMessage) + ")]]"
                + "//button[normalize-space(.)='Accept']");
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(ExpectedConditions.elementToBeClickable(button)).click();
    }

    /** The entry of the shown conversation's transcript that holds this text. */
    WebElement entryWith(String text) {
        By entry = By.xpath("//ol[@class='transcript']/li[.//p[@class='text'][contains(., " + literal(text) + ")]]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(entry));
        return browser.findElement(entry);
    }

    void waitForMark(String text, String mark) {
        By where = By.xpath("//ol[@class='transcript']/li[.//p[@class='text'][contains(., " + literal(text) + ")]]"
                + "//span[contains(@class, 'mark')]");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(where, mark));
    }

    List<WebElement> tabs() {
        return browser.findElements(By.cssSelector("[role=tab]"));
    }

    void showTab(String label) {
        By tab = By.xpath("//button[@role='tab'][contains(., " + literal(label) + ")]");
        wait.until(ExpectedConditions.elementToBeClickable(tab)).click();
    }

    void reply(String text) {
        var box = browser.findElement(By.id("composer-text"));
        box.sendKeys(text);
        browser.findElement(By.cssSelector(".composer button[type=submit]")).click();
    }

    void act(String label) {
        By button = By.xpath("//div[@class='actions']/button[normalize-space(.)=" + literal(label) + "]");
        wait.until(ExpectedConditions.elementToBeClickable(button)).click();
    }

    void waitForState(String shown) {
        waitForText(By.cssSelector(".communication .state"), shown);
    }

    /** Saves what the screen shows as docs/workspace/{name}.png, for the README. */
    void screenshot(String name) {
        try {
            Path file = Path.of("docs", "workspace", name + ".png");
            Files.createDirectories(file.getParent());
            Files.write(file, browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An XPath string literal for any text (customer text may hold quotes). */
    private static String literal(String text) {
        if (!text.contains("'")) {
            return "'" + text + "'";
        }
        return "concat('" + text.replace("'", "', \"'\", '") + "')";
    }
}
